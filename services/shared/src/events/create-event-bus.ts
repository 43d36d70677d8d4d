// The event bus the configuration asks for.
import type { CommonConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { EventBus } from "./event-bus.ts";
import { createMemoryBus } from "./memory-bus.ts";

export async function createEventBus(common: Pick<CommonConfig, "eventBus" | "kafkaBrokers" | "serviceName">, logger: Logger): Promise<EventBus> {
  if (common.eventBus === "memory") return createMemoryBus(logger);
  const { createKafkaBus } = await import("./kafka-bus.ts");
  return createKafkaBus({ brokers: common.kafkaBrokers, clientId: `identity-${common.serviceName}`, logger });
}
