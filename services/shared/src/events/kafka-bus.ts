// The Kafka event bus (kafkajs): publishes with acks=all through an idempotent producer; subscribes with one
// consumer per group, committing an offset only after its handler succeeded (at-least-once).
import { Kafka, type Consumer, type Producer, logLevel } from "kafkajs";
import type { Logger } from "../logger.ts";
import type { EventBus, EventHandler } from "./event-bus.ts";

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 200 },
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  const consumers: Consumer[] = [];
  let connected = false;

  return {
    async start() {
      if (connected) return;
      await producer.connect();
      connected = true;
    },
    async stop() {
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      if (connected) await producer.disconnect();
      connected = false;
    },
    async checkReady() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },
    async publish(messages) {
      const byTopic = new Map<string, typeof messages[number][]>();
      for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic,
          messages: ms.map((m) => ({ key: m.key, value: Buffer.from(m.value), headers: m.headers })),
        })),
      });
    },
    async subscribe(group: string, topics: readonly string[], handler: EventHandler) {
      const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: true });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
          await handler({ topic, key: message.key?.toString() ?? "", value: message.value ?? Buffer.alloc(0), headers });
        },
      });
    },
  };
}
