// The relay against a real broker: late commits are not skipped, several replicas share the outbox without
// reordering a key's events, topics get explicit partitions and a dead-letter twin, the headers reach an
// independent consumer (kcat), and the metrics say what happened.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { create, fromBinary } from "@bufbuild/protobuf";
import { events } from "@identity/proto/event-catalogue";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { Kafka, logLevel } from "kafkajs";
import { Registry } from "prom-client";
import { createOutboxRelay } from "../../src/events/outbox-relay.ts";
import { newId } from "../../src/ids.ts";
import { silentLogger } from "../../src/logger.ts";
import { recordEvent } from "../../src/outbox/record-event.ts";
import { KAFKA, readTopic, registerUser, uniqueTopic, useEventsSuite, waitFor } from "./events-test-kit.ts";

const TIMEOUT = 90_000;
const suite = useEventsSuite("events_order", { clientId: "events-test-relay" }, TIMEOUT);

const relayOf = (options: { batchSize?: number; metrics?: Registry } = {}) =>
  createOutboxRelay({
    orm: suite.t.orm,
    publisher: suite.bus,
    logger: silentLogger(),
    source: "identity/events-test",
    nudgeOnCommit: false,
    ...options,
  });

test(
  "two transactions committing out of id order: both events are published",
  async () => {
    const topic = uniqueTopic("late_commit");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((r) => (inserted = r));
    let earlyId = "";
    const early = suite.t.orm.em.fork().transactional(async (tx) => {
      const userId = newId();
      earlyId = recordEvent(tx, { ...events.userRegistered, topic }, create(UserRegisteredSchema, { userId, username: "early" }));
      await tx.flush();
      inserted();
      await gate; // commits only after the later transaction has committed and been published
    });
    await insertedSignal;
    const late = await registerUser(suite.t.orm, topic, "late");
    expect(late.eventId > earlyId).toBe(true);

    const relay = relayOf();
    expect(await relay.relayOnce()).toBe(1); // the later id, while the earlier transaction is still open
    release();
    await early;
    expect(await relay.relayOnce()).toBe(1); // a high-water mark would have skipped this one
    const messages = await readTopic(topic, 2);
    expect(messages.map((m) => m.headers.ce_id).sort()).toEqual([earlyId, late.eventId].sort());
  },
  TIMEOUT,
);

test(
  "three relay replicas on one outbox: every event published once, each key's events in order",
  async () => {
    const topic = uniqueTopic("replicas");
    const keys = Array.from({ length: 8 }, () => newId());
    for (let seq = 0; seq < 25; seq++) {
      await Promise.all(keys.map((_, k) => registerUser(suite.t.orm, topic, `${k}-${seq}`)));
    }
    const rows = await suite.t.sql<{ id: string; payload: Buffer }>(
      "select id, payload from outbox_event where topic = ? order by occurred_at, id",
      [topic],
    );
    // 8 aggregates with 25 events each: give every row of aggregate k the same key, in sequence order
    for (const row of rows) {
      const [k] = fromBinary(UserRegisteredSchema, row.payload).username.split("-");
      await suite.t.sql("update outbox_event set key = ? where id = ?", [keys[Number(k)], row.id]);
    }
    const replicas = [relayOf({ batchSize: 7 }), relayOf({ batchSize: 7 }), relayOf({ batchSize: 7 })];
    await Promise.all(
      replicas.map(async (r) => {
        for (let idle = 0; idle < 5; ) idle = (await r.relayOnce()) === 0 ? idle + 1 : 0;
      }),
    );
    expect(await suite.t.sql("select 1 from outbox_event where published_at is null and topic = ?", [topic])).toHaveLength(0);

    const messages = await readTopic(topic, 200);
    await new Promise((r) => setTimeout(r, 500));
    expect(new Set(messages.map((m) => m.headers.ce_id)).size).toBe(200);
    expect(messages).toHaveLength(200);
    const byKey = new Map<string, number[]>();
    for (const m of [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
      const seq = Number(fromBinary(UserRegisteredSchema, m.value).username.split("-")[1]);
      byKey.set(m.key, [...(byKey.get(m.key) ?? []), seq]);
    }
    expect(byKey.size).toBe(8);
    for (const seqs of byKey.values()) expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i));
  },
  TIMEOUT,
);

test(
  "topics are created with explicit partitions and a .dlq twin; kcat reads a message with its CloudEvents headers; the metrics count it",
  async () => {
    const topic = uniqueTopic("kcat");
    const registry = new Registry();
    const relay = relayOf({ metrics: registry });
    const { userId, eventId } = await registerUser(suite.t.orm, topic, "kat");
    expect((await registry.getSingleMetric("outbox_backlog")?.get())?.values[0]?.value).toBe(1);
    expect(await relay.relayOnce()).toBe(1);
    expect((await registry.getSingleMetric("outbox_backlog")?.get())?.values[0]?.value).toBe(0);
    expect(await registry.getSingleMetricAsString("outbox_published_total")).toMatch(/outbox_published_total 1$/m);
    expect(await registry.getSingleMetricAsString("outbox_publish_lag_seconds")).toMatch(/outbox_publish_lag_seconds_count 1$/m);

    const admin = new Kafka({ clientId: "events-test-admin", brokers: [KAFKA], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic, `${topic}.dlq`] });
      const shapes = topics.map((x) => [x.name, x.partitions.length, x.partitions[0]?.replicas.length]);
      expect(shapes.sort()).toEqual([
        [topic, 3, 1],
        [`${topic}.dlq`, 3, 1],
      ]);
    } finally {
      await admin.disconnect();
    }

    const { stdout } = await promisify(execFile)("kcat", ["-b", KAFKA, "-C", "-t", topic, "-o", "beginning", "-c", "1", "-e", "-J", "-q"], {
      timeout: 30_000,
    });
    const record = JSON.parse(stdout.trim()) as { key: string; headers: string[] };
    const headers: Record<string, string> = {};
    for (let i = 0; i < record.headers.length; i += 2) headers[record.headers[i] as string] = record.headers[i + 1] as string;
    expect(record.key).toBe(userId);
    expect(headers).toMatchObject({
      ce_specversion: "1.0",
      ce_id: eventId,
      ce_type: "user.registered",
      ce_source: "identity/events-test",
      "content-type": "application/protobuf",
    });
    expect(new Date(headers.ce_time as string).toISOString()).toBe(headers.ce_time);
  },
  TIMEOUT,
);

test(
  "a commit wakes the running relay at once (nudge) instead of at its next poll",
  async () => {
    const topic = uniqueTopic("nudge");
    const relay = createOutboxRelay({
      orm: suite.t.orm,
      publisher: suite.bus,
      logger: silentLogger(),
      source: "identity/events-test",
      idleDelayMs: 60_000,
    });
    relay.start();
    try {
      await new Promise((r) => setTimeout(r, 200)); // the first (empty) run is over; next poll in a minute
      const started = Date.now();
      const { eventId } = await registerUser(suite.t.orm, topic, "nudged");
      await waitFor(
        "the nudged publish",
        async () => (await suite.t.sql("select 1 from outbox_event where id = ? and published_at is not null", [eventId])).length === 1,
        5_000,
        5,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await relay.stop();
    }
  },
  TIMEOUT,
);
