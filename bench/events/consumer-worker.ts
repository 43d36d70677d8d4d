// The events benchmark's consumer, in a worker thread of its own: in the platform the consumer runs in
// another service's process (profile), not on the writer's event loop. It has its own database and Kafka
// client, and reports each consumer commit (which events it applied, when) to the main thread in absolute
// milliseconds (performance.timeOrigin + now(), comparable across threads).
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { events } from "@identity/proto/event-catalogue";
import type { EntityManager, TransactionEventArgs } from "@mikro-orm/core";
import { decodeEvent } from "../../services/shared/src/events/decode-event.ts";
import { createEventConsumer } from "../../services/shared/src/events/event-consumer.ts";
import { createKafkaBus } from "../../services/shared/src/events/kafka-bus.ts";
import { silentLogger } from "../../services/shared/src/logger.ts";
import { createEventsTestDb, profileEffects, REGISTERED } from "../../services/shared/test/events/events-test-kit.ts";

export interface ConsumerWorkerData {
  brokers: string;
  topic: string;
  /** Events per consumer transaction at most (undefined: the consumer's default; 1: one per event). */
  maxBatchSize?: number;
}

/** Worker -> main: `ready` once set up, `committed` per consumer transaction that applied events, `closed`. */
export type ConsumerWorkerReport =
  | { kind: "ready" }
  | { kind: "committed"; usernames: string[]; at: number }
  | { kind: "closed"; eventLoopBusy: number };

const port = parentPort;
if (!port) throw new Error("consumer-worker.ts runs as a worker thread");
const { brokers, topic, maxBatchSize } = workerData as ConsumerWorkerData;
const logger = silentLogger();
const report = (r: ConsumerWorkerReport) => port.postMessage(r);

const db = await createEventsTestDb("bench_events_consumer");
const bus = createKafkaBus({ brokers: [brokers], clientId: "bench-events-consumer", logger });
await bus.start();
// An event counts as consumed when the transaction that applied it has committed (with batches, its effect
// runs earlier than that).
const appliedIn = new WeakMap<EntityManager, string[]>();
db.orm.em.getEventManager().registerSubscriber({
  afterTransactionCommit: ({ em }: TransactionEventArgs) => {
    const usernames = appliedIn.get(em);
    if (usernames) report({ kind: "committed", usernames, at: performance.timeOrigin + performance.now() });
  },
});
const consumer = createEventConsumer({
  orm: db.orm,
  subscriber: bus,
  logger,
  group: `${topic}.bench`,
  topics: [topic],
  maxBatchSize,
  effects: {
    [REGISTERED]: async (em, message) => {
      await profileEffects[REGISTERED]?.(em, message);
      const usernames = appliedIn.get(em) ?? [];
      usernames.push(decodeEvent(events.userRegistered, message).username);
      appliedIn.set(em, usernames);
    },
  },
});
const loopAtStart = performance.eventLoopUtilization();

port.on("message", async (command: "start" | "close") => {
  if (command === "start") {
    await consumer.start();
    return;
  }
  const eventLoopBusy = performance.eventLoopUtilization(loopAtStart).utilization;
  await bus.stop();
  await db.close();
  report({ kind: "closed", eventLoopBusy: Math.round(eventLoopBusy * 100) / 100 });
  port.close();
});
report({ kind: "ready" });
