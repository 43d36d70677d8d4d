// The event bus conformance suite against the in-process bus of the embedded mode (the same cases run
// against Kafka in services/shared/test/events/kafka-bus.conformance.int.test.ts).
import { silentLogger } from "../logger.ts";
import { conformanceRetry, describeBusConformance } from "./bus-conformance.ts";
import { createMemoryBus } from "./memory-bus.ts";

describeBusConformance("in-process bus", {
  open: async () => createMemoryBus(silentLogger(), { retry: conformanceRetry }),
  timeoutMs: 3_000,
});

test("deadLetters() lists every message sent to a dead-letter topic", async () => {
  const bus = createMemoryBus(silentLogger(), { retry: conformanceRetry });
  await bus.subscribe(
    "g",
    ["t"],
    async () => {
      throw new Error("always fails");
    },
    { maxAttempts: 1 },
  );
  await bus.publish([{ topic: "t", key: "k", value: new Uint8Array([1]), headers: { ce_id: "1", ce_type: "x" } }]);
  expect(await bus.idle(3_000)).toBe(true);
  expect(bus.deadLetters().map((m) => [m.topic, m.headers.ce_id])).toEqual([["t.dlq", "1"]]);
});
