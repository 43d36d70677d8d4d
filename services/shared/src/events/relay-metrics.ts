// Prometheus metrics of the outbox relay, on the service's registry.
import type { MikroORM } from "@mikro-orm/postgresql";
import { Counter, Gauge, type Registry } from "prom-client";
import { OutboxEntity } from "../outbox/outbox.entity.ts";
import { eventLagHistogram, registeredMetric } from "./event-metrics.ts";

export interface RelayMetrics {
  published(count: number, lagsSeconds: readonly number[]): void;
  failing(isFailing: boolean): void;
}

export function createRelayMetrics(registry: Registry | undefined, orm: MikroORM): RelayMetrics {
  if (!registry) return { published() {}, failing() {} };
  registeredMetric(
    registry,
    "outbox_backlog",
    () =>
      new Gauge({
        name: "outbox_backlog",
        help: "Outbox events committed but not yet published.",
        registers: [registry],
        async collect() {
          this.set(await orm.em.fork().count(OutboxEntity, { publishedAt: null }));
        },
      }),
  );
  const publishedTotal = registeredMetric(
    registry,
    "outbox_published_total",
    () => new Counter({ name: "outbox_published_total", help: "Outbox events published.", registers: [registry] }),
  );
  const publishLag = eventLagHistogram(registry, {
    name: "outbox_publish_lag_seconds",
    help: "Time from an event's occurrence (its transaction) to its acknowledged publication.",
  });
  const failingGauge = registeredMetric(
    registry,
    "outbox_relay_failing",
    () =>
      new Gauge({
        name: "outbox_relay_failing",
        help: "1 while the relay cannot publish (broker down) and is backing off.",
        registers: [registry],
      }),
  );
  return {
    published(count, lags) {
      publishedTotal.inc(count);
      for (const lag of lags) publishLag.observe(lag);
    },
    failing(isFailing) {
      failingGauge.set(isFailing ? 1 : 0);
    },
  };
}
