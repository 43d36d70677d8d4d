// The in-process bus keeps Kafka's delivery semantics in a simple form: per-topic order, retries, dead
// letters with the same headers, transient failures never dead-lettered, late subscribers read the log.
import { silentLogger } from "../logger.ts";
import { type EventMessage, PoisonMessageError, TransientEventError } from "./event-bus.ts";
import { createMemoryBus } from "./memory-bus.ts";

const message = (id: string, topic = "t"): EventMessage => ({
  topic,
  key: "k",
  value: new Uint8Array([1]),
  headers: { ce_id: id, ce_type: "x" },
});
const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

test("a poison message and one that keeps failing go to <topic>.dlq with the reason; the messages behind them are processed in order", async () => {
  const bus = createMemoryBus(silentLogger(), { retry: { baseDelayMs: 1 } });
  const handled: string[] = [];
  const attempts = new Map<string, number>();
  const dlq: EventMessage[] = [];
  await bus.subscribe("g.dlq-reader", ["t.dlq"], async (m) => void dlq.push(m));
  await bus.subscribe(
    "g",
    ["t"],
    async (m) => {
      const id = m.headers.ce_id as string;
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      if (id === "poison") throw new PoisonMessageError("cannot decode");
      if (id === "cursed") throw new Error("always fails");
      if (id === "flaky" && attempts.get(id)! < 3) throw new Error("fails twice");
      handled.push(id);
    },
    { maxAttempts: 4 },
  );
  await bus.publish(["1", "poison", "cursed", "flaky", "2"].map((id) => message(id)));
  await until(() => handled.length === 3 && dlq.length === 2);
  expect(handled).toEqual(["1", "flaky", "2"]);
  expect(attempts.get("poison")).toBe(1);
  expect(attempts.get("cursed")).toBe(4);
  expect(dlq.map((m) => [m.headers.ce_id, m.headers.dlq_original_topic, m.headers.dlq_original_offset, m.headers.dlq_error])).toEqual([
    ["poison", "t", "1", "PoisonMessageError: cannot decode"],
    ["cursed", "t", "2", "Error: always fails"],
  ]);
  expect(bus.deadLetters()).toHaveLength(2);
});

test("a transient failure is retried past maxAttempts and never dead-lettered; a group that subscribes later reads from the start", async () => {
  const bus = createMemoryBus(silentLogger(), { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  await bus.publish([message("early")]);
  let failures = 0;
  const handled: string[] = [];
  await bus.subscribe(
    "g",
    ["t"],
    async (m) => {
      if (failures < 10) {
        failures += 1;
        throw new TransientEventError("database down");
      }
      handled.push(m.headers.ce_id as string);
    },
    { maxAttempts: 2 },
  );
  await until(() => handled.length === 1);
  expect(handled).toEqual(["early"]);
  expect(bus.deadLetters()).toHaveLength(0);
});

test("with a batch handler the waiting messages go in runs; a failing run is redelivered one at a time, its poison dead-lettered, in order", async () => {
  const bus = createMemoryBus(silentLogger(), { retry: { baseDelayMs: 1 } });
  const runs: string[][] = [];
  const single: string[] = [];
  const handled: string[] = [];
  // Published before subscribing, so the first drain finds all of them waiting.
  await bus.publish(["1", "2", "poison", "3", "4", "5", "6"].map((id) => message(id)));
  await bus.subscribe(
    "g",
    ["t"],
    async (m) => {
      const id = m.headers.ce_id as string;
      single.push(id);
      if (id === "poison") throw new PoisonMessageError("cannot decode");
      handled.push(id);
    },
    {
      maxBatchSize: 4,
      batchHandler: async (ms) => {
        const ids = ms.map((m) => m.headers.ce_id as string);
        runs.push(ids);
        if (ids.includes("poison")) throw new Error("the run holds a poison message");
        handled.push(...ids);
      },
    },
  );
  await until(() => handled.length === 6);
  expect(handled).toEqual(["1", "2", "3", "4", "5", "6"]);
  expect(runs).toEqual([
    ["1", "2", "poison", "3"],
    ["4", "5", "6"],
  ]);
  expect(single).toEqual(["1", "2", "poison", "3"]);
  expect(bus.deadLetters().map((m) => m.headers.ce_id)).toEqual(["poison"]);
});
