// The event bus the configuration asks for: EVENT_BUS=memory (embedded mode, no broker) or kafka, whose
// topics are created with KAFKA_TOPIC_PARTITIONS (default 3) partitions and KAFKA_REPLICATION_FACTOR
// (default 1 in dev, 3 in prod) replicas, over TLS and with SASL credentials when KAFKA_SSL_* / KAFKA_SASL_*
// say so (kafka-security.ts).

import { topics } from "@identity/proto/event-catalogue";
import { type CommonConfig, EnvReader } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { EventBus } from "./event-bus.ts";
import type { TopicSettings } from "./kafka-bus.ts";
import { readKafkaSecurity } from "./kafka-security.ts";
import { createMemoryBus } from "./memory-bus.ts";

export function readTopicSettings(env: EnvReader): TopicSettings {
  return {
    partitions: env.int("KAFKA_TOPIC_PARTITIONS", { default: 3, min: 1, max: 1000 }),
    replicationFactor: env.int("KAFKA_REPLICATION_FACTOR", { default: env.environment === "prod" ? 3 : 1, min: 1, max: 10 }),
  };
}

export async function createEventBus(
  common: Pick<CommonConfig, "eventBus" | "kafkaBrokers" | "serviceName">,
  logger: Logger,
  environment: Record<string, string | undefined> = process.env,
): Promise<EventBus> {
  if (common.eventBus === "memory") return createMemoryBus(logger);
  const env = new EnvReader(environment);
  const topicSettings = readTopicSettings(env);
  const security = readKafkaSecurity(env);
  env.done();
  const { createKafkaBus } = await import("./kafka-bus.ts");
  return createKafkaBus({
    brokers: common.kafkaBrokers,
    clientId: `identity-${common.serviceName}`,
    ...security,
    logger,
    topicSettings,
    topics: Object.values(topics),
  });
}
