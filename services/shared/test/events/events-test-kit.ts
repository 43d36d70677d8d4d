// A tiny test aggregate for the events suites: "users" registered with their outbox event in one
// transaction, and a consumer whose effect is a "profile" row. The effect table has no unique key on
// purpose, so a second effect of the same event would show as a second row.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { events } from "@identity/proto/event-catalogue";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { Migration } from "@mikro-orm/migrations";
import { Kafka, logLevel } from "kafkajs";
import { toEventMessage } from "../../src/events/cloud-events.ts";
import type { EventMessage } from "../../src/events/event-bus.ts";
import { createEventConsumer, type EventConsumerOptions, type EventEffect } from "../../src/events/event-consumer.ts";
import { createKafkaBus, type KafkaBus, type KafkaBusOptions } from "../../src/events/kafka-bus.ts";
import { stopKafkajsIdleLoop } from "../../src/events/kafkajs-idle-loop.ts";
import { newId } from "../../src/ids.ts";
import { silentLogger } from "../../src/logger.ts";
import type { MikroORM } from "../../src/orm/create-orm.ts";
import { recordEvent } from "../../src/outbox/record-event.ts";
import type { TestDatabase } from "../../src/testing/test-database.ts";
import { createTestOrm } from "../../src/testing/test-orm.ts";

export const KAFKA = process.env.KAFKA_BROKERS ?? "localhost:9092";
export const REGISTERED = events.userRegistered.type;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

export class CreateTestAggregate extends Migration {
  override up(): void {
    this.addSql("create table test_user (id uuid primary key, username text not null unique)");
    this.addSql("create table test_profile (user_id uuid not null, username text not null, event_id uuid not null)");
  }
}

export interface EventsTestDb {
  db: TestDatabase;
  orm: MikroORM;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function createEventsTestDb(prefix: string): Promise<EventsTestDb> {
  const testOrm = await createTestOrm(prefix, { migrations: [{ name: "0001_test_aggregate", class: CreateTestAggregate }], poolMax: 20 });
  return { ...testOrm, sql: async (query, params = []) => (await testOrm.orm.em.getConnection().execute(query, params, "all")) as never };
}

/** What a suite on the real broker works with: a database of its own and a started bus on the shared broker. */
export interface EventsSuite {
  t: EventsTestDb;
  bus: KafkaBus;
}

/** Creates the suite's database and bus before the file's tests and closes both after them. */
export function useEventsSuite(prefix: string, bus: Omit<KafkaBusOptions, "brokers" | "logger">, timeoutMs: number): EventsSuite {
  const suite = {} as EventsSuite;
  beforeAll(async () => {
    suite.t = await createEventsTestDb(prefix);
    suite.bus = createKafkaBus({ brokers: [KAFKA], logger: silentLogger(), ...bus });
    await suite.bus.start();
  }, timeoutMs);
  afterAll(async () => {
    await suite.bus?.stop();
    await suite.t?.close();
  }, timeoutMs);
  return suite;
}

/** Starts a quiet consumer of the suite's database on the suite's bus. */
export function startConsumer(suite: EventsSuite, options: Omit<EventConsumerOptions, "orm" | "subscriber" | "logger">): Promise<void> {
  return createEventConsumer({ orm: suite.t.orm, subscriber: suite.bus, logger: silentLogger(), ...options }).start();
}

/** A user.registered message as the relay would publish it (or of another `type`, with the same payload). */
export function registeredMessage(
  topic: string,
  key: string,
  username: string,
  { userId = newId(), type = REGISTERED }: { userId?: string; type?: string } = {},
): EventMessage {
  return toEventMessage(
    {
      id: newId(),
      topic,
      key,
      type,
      payload: Buffer.from(toBinary(UserRegisteredSchema, create(UserRegisteredSchema, { userId, username }))),
      occurredAt: new Date(),
    },
    "identity/events-test",
  );
}

/** A unique topic per test run: suites share the broker with other engineers' tests. */
export function uniqueTopic(name: string): string {
  return `test.events.${name}.${randomBytes(4).toString("hex")}`;
}

/** Registers a user: the state change and its outbox event in one transaction. Returns the event id. */
export async function registerUser(
  orm: MikroORM,
  topic: string,
  username: string,
  userId = newId(),
): Promise<{ userId: string; eventId: string }> {
  let eventId = "";
  await orm.em.fork().transactional(async (tx) => {
    await tx
      .getConnection()
      .execute("insert into test_user (id, username) values (?, ?)", [userId, username], "run", tx.getTransactionContext());
    eventId = recordEvent(tx, { ...events.userRegistered, topic }, { userId, username, dateJoined: timestampNow() });
  });
  return { userId, eventId };
}

/** The consumer's effect: one profile row per applied event (no unique key, so duplicates would show). */
export const profileEffects: Record<string, EventEffect> = {
  [REGISTERED]: async (em, message) => {
    const { fromBinary } = await import("@bufbuild/protobuf");
    const event = fromBinary(UserRegisteredSchema, message.value);
    await em
      .getConnection()
      .execute(
        "insert into test_profile (user_id, username, event_id) values (?, ?, ?)",
        [event.userId, event.username, message.headers.ce_id],
        "run",
        em.getTransactionContext(),
      );
  },
};

export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Reads a topic from the beginning with a throwaway group until `count` messages arrived. */
export async function readTopic(
  topic: string,
  count: number,
  options: { brokers?: string; timeoutMs?: number } = {},
): Promise<(EventMessage & { partition: number; offset: string })[]> {
  stopKafkajsIdleLoop();
  const kafka = new Kafka({ clientId: "events-test-reader", brokers: [options.brokers ?? KAFKA], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(4).toString("hex")}` });
  const messages: (EventMessage & { partition: number; offset: string })[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
        messages.push({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? "",
          value: message.value ?? Buffer.alloc(0),
          headers,
        });
      },
    });
    await waitFor(
      `${count} messages on ${topic} (have ${messages.length})`,
      async () => messages.length >= count,
      options.timeoutMs ?? 30_000,
    );
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** A second Kafka broker of this suite's own, so stopping it for an outage disturbs nobody else. */
export function ownBroker(port = 19092) {
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_HOME_DIR: resolve(repoRoot, `.data/kafka-events-${port}`),
  };
  const run = (command: "start" | "stop" | "reset") =>
    promisify(execFile)("bash", [resolve(repoRoot, "scripts/components/kafka.sh"), command], { env, timeout: 180_000 });
  return {
    brokers: `localhost:${port}`,
    start: () => run("start"),
    stop: () => run("stop"),
    /** Stops the broker and deletes its data (its own directory only): the next start is a fresh broker. */
    reset: () => run("reset"),
  };
}
