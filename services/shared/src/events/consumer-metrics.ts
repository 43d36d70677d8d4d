// Prometheus metrics of an event consumer: how far behind its partitions it is (messages), how long after
// the event's occurrence it was applied (commit-to-consume lag), and what became of each message.
import { Counter, Gauge, type Registry } from "prom-client";
import { eventLagHistogram, registeredMetric } from "./event-metrics.ts";

export type ConsumeOutcome = "applied" | "duplicate" | "dead_lettered";

export interface ConsumerMetrics {
  lag(topic: string, partition: number, lag: number): void;
  consumed(outcome: ConsumeOutcome, ceTime: string | undefined): void;
}

export function createConsumerMetrics(registry: Registry | undefined, group: string): ConsumerMetrics {
  if (!registry) return { lag() {}, consumed() {} };
  const lagGauge = registeredMetric(
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
  const ageHistogram = eventLagHistogram(registry, {
    name: "event_consume_lag_seconds",
    help: "Time from an event's occurrence (ce_time) to its effect being committed by the consumer.",
    labelNames: ["group"],
  });
  const consumedTotal = registeredMetric(
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
