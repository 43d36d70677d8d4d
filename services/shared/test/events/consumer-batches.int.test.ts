// The consumer on the real broker applies what one fetch brought in a few transactions, not one per event,
// in per-key order; a run holding a poison message falls back to one event at a time, so only the poison
// goes to the dead-letter topic and the events around it are applied, still in order.
import { fromBinary } from "@bufbuild/protobuf";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import type { EntityManager } from "@mikro-orm/core";
import { PoisonMessageError } from "../../src/events/event-bus.ts";
import type { EventEffect } from "../../src/events/event-consumer.ts";
import { newId } from "../../src/ids.ts";
import { REGISTERED, readTopic, registeredMessage, startConsumer, uniqueTopic, useEventsSuite, waitFor } from "./events-test-kit.ts";

const TIMEOUT = 90_000;
const suite = useEventsSuite("events_batches", { clientId: "events-test-batches", retry: { baseDelayMs: 20 } }, TIMEOUT);
beforeAll(async () => {
  await suite.t.sql("create table applied_log (seq serial primary key, consumer text not null, username text not null)");
}, TIMEOUT);

const registered = (topic: string, key: string, username: string) => registeredMessage(topic, key, username, { userId: key });

/** Logs each applied event in order and counts the transactions (entity managers) it ran in. */
function loggingEffect(group: string, transactions: Set<EntityManager>): EventEffect {
  return async (em, message) => {
    transactions.add(em);
    const { username } = fromBinary(UserRegisteredSchema, message.value);
    if (username === "poison") throw new PoisonMessageError("this event can never be applied");
    await em
      .getConnection()
      .execute("insert into applied_log (consumer, username) values (?, ?)", [group, username], "run", em.getTransactionContext());
  };
}
const appliedBy = async (group: string) =>
  (await suite.t.sql<{ username: string }>("select username from applied_log where consumer = ? order by seq", [group])).map(
    (r) => r.username,
  );

test(
  "300 events of one key already waiting are applied in order, in far fewer transactions than events",
  async () => {
    const topic = uniqueTopic("batches");
    const key = newId();
    const usernames = Array.from({ length: 300 }, (_, i) => `u-${i}`);
    await suite.bus.publish(usernames.map((u) => registered(topic, key, u)));
    const group = `${topic}.log`;
    const transactions = new Set<EntityManager>();
    await startConsumer(suite, { group, topics: [topic], effects: { [REGISTERED]: loggingEffect(group, transactions) } });
    await waitFor("every event applied", async () => (await appliedBy(group)).length === 300, 60_000);
    expect(await appliedBy(group)).toEqual(usernames);
    expect(transactions.size).toBeLessThanOrEqual(30);
    expect((await suite.t.sql<{ n: number }>("select count(*)::int as n from processed_event where consumer = ?", [group]))[0]?.n).toBe(
      300,
    );
  },
  TIMEOUT,
);

test(
  "a poison event inside a run: the run is redone one event at a time, the poison is dead-lettered, the rest applied in order",
  async () => {
    const topic = uniqueTopic("batch_poison");
    const key = newId();
    const usernames = Array.from({ length: 40 }, (_, i) => (i === 17 ? "poison" : `u-${i}`));
    await suite.bus.publish(usernames.map((u) => registered(topic, key, u)));
    const group = `${topic}.log`;
    await startConsumer(suite, { group, topics: [topic], effects: { [REGISTERED]: loggingEffect(group, new Set()) } });
    await waitFor("every other event applied", async () => (await appliedBy(group)).length === 39, 60_000);
    expect(await appliedBy(group)).toEqual(usernames.filter((u) => u !== "poison"));
    const dead = await readTopic(`${topic}.dlq`, 1);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers).toMatchObject({ dlq_consumer_group: group, dlq_error: "PoisonMessageError: this event can never be applied" });
    expect(fromBinary(UserRegisteredSchema, dead[0]?.value ?? new Uint8Array()).username).toBe("poison");
  },
  TIMEOUT,
);
