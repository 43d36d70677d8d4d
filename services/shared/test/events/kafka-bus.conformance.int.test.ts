// The event bus conformance suite against Kafka (the broker of the integration tier): the same cases as the
// in-process bus in services/shared/src/events/memory-bus.conformance.test.ts.
import { jest } from "@jest/globals";
import { conformanceRetry, describeBusConformance } from "../../src/events/bus-conformance.ts";
import { createKafkaBus } from "../../src/events/kafka-bus.ts";
import { silentLogger } from "../../src/logger.ts";
import { KAFKA } from "./events-test-kit.ts";

jest.setTimeout(120_000);

describeBusConformance("Kafka", {
  open: async () => {
    const bus = createKafkaBus({ brokers: [KAFKA], clientId: "bus-conformance", logger: silentLogger(), retry: conformanceRetry });
    await bus.start();
    return bus;
  },
  timeoutMs: 60_000,
});
