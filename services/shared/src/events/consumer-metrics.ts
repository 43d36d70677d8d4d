// Prometheus metrics of an event consumer: how far behind its partitions it is (messages), how long after
// the event's occurrence it was applied (commit-to-consume lag), and what became of each message.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type ConsumeOutcome = "applied" | "duplicate" | "dead_lettered";

export interface ConsumerMetrics {
  lag(topic: string, partition: number, lag: number): void;
  consumed(outcome: ConsumeOutcome, ceTime: string | undefined): void;
}

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createConsumerMetrics(registry: Registry | undefined, group: string): ConsumerMetrics {
  if (!registry) return { lag() {}, consumed() {} };
  const lagGauge = getOrCreate(
    registry,
    "event_consumer_lag",
    () =>
      new Gauge({
        name: "event_consumer_lag",
        help: "Messages of a partition not yet consumed by the group.",
        labelNames: ["group", "topic", "partition"],
        registers: [registry],
      }),
  );
  const ageHistogram = getOrCreate(
    registry,
    "event_consume_lag_seconds",
    () =>
      new Histogram({
        name: "event_consume_lag_seconds",
        help: "Time from an event's occurrence (ce_time) to its effect being committed by the consumer.",
        labelNames: ["group"],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers: [registry],
      }),
  );
  const consumedTotal = getOrCreate(
    registry,
    "events_consumed_total",
    () =>
      new Counter({
        name: "events_consumed_total",
        help: "Events handled by a consumer group, by outcome (applied, duplicate, dead_lettered).",
        labelNames: ["group", "outcome"],
        registers: [registry],
      }),
  );
  return {
    lag(topic, partition, lag) {
      lagGauge.set({ group, topic, partition: String(partition) }, lag);
    },
    consumed(outcome, ceTime) {
      consumedTotal.inc({ group, outcome });
      const occurred = ceTime ? Date.parse(ceTime) : Number.NaN;
      if (outcome === "applied" && Number.isFinite(occurred)) ageHistogram.observe({ group }, Math.max(0, (Date.now() - occurred) / 1000));
    },
  };
}
