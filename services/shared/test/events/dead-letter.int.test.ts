// Poison messages on the real broker: one that cannot be processed (no ce_id) and one whose effect keeps
// failing land in `<topic>.dlq` with where they came from and why; the events behind them, same key and so
// same partition, are still processed, in order.
import { newId } from "../../src/ids.ts";
import { profileEffects, readTopic, registeredMessage, startConsumer, uniqueTopic, useEventsSuite, waitFor } from "./events-test-kit.ts";

const TIMEOUT = 90_000;
const suite = useEventsSuite("events_dlq", { clientId: "events-test-dlq", retry: { baseDelayMs: 20 } }, TIMEOUT);

test(
  "a poison message and one that keeps failing go to the dead-letter topic with the reason; the events behind them are processed",
  async () => {
    const topic = uniqueTopic("poison");
    const key = newId();
    const event = (username: string, type?: string) => registeredMessage(topic, key, username, { type });
    const poison = { ...event("poison"), headers: { "content-type": "application/protobuf" } }; // no ce_id, no ce_type
    const failing = event("failing", "user.cursed");
    await suite.bus.publish([event("first"), poison, failing, event("after-1"), event("after-2")]);

    let cursedAttempts = 0;
    await startConsumer(suite, {
      group: `${topic}.profiles`,
      topics: [topic],
      maxAttempts: 3,
      effects: {
        ...profileEffects,
        "user.cursed": async () => {
          cursedAttempts += 1;
          throw new Error("this effect always fails");
        },
      },
    });

    await waitFor(
      "the events behind the poison",
      async () => (await suite.t.sql("select 1 from test_profile where username = 'after-2'")).length === 1,
      60_000,
    );
    expect((await suite.t.sql<{ username: string }>("select username from test_profile order by username")).map((r) => r.username)).toEqual(
      ["after-1", "after-2", "first"],
    );
    expect(cursedAttempts).toBe(3);

    const dead = await readTopic(`${topic}.dlq`, 2);
    const sourceMessages = await readTopic(topic, 5);
    const offsetOf = (username: string) =>
      sourceMessages.find((m) => m.value.length > 0 && Buffer.from(m.value).includes(username))?.offset;
    expect(dead.map((m) => m.headers)).toEqual([
      expect.objectContaining({
        dlq_original_topic: topic,
        dlq_original_offset: offsetOf("poison"),
        dlq_consumer_group: `${topic}.profiles`,
        dlq_error: expect.stringMatching(/PoisonMessageError: event without ce_id/),
      }),
      expect.objectContaining({
        dlq_original_topic: topic,
        dlq_original_offset: offsetOf("failing"),
        ce_id: failing.headers.ce_id,
        dlq_error: "Error: this effect always fails",
      }),
    ]);
    expect(dead[0]?.headers.dlq_original_partition).toBe(String(sourceMessages[0]?.partition));
    expect(dead.map((m) => m.key)).toEqual([key, key]);
  },
  TIMEOUT,
);
