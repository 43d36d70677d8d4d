// Prometheus metrics of the outbox relay, on the service's registry. Metrics are looked up before being
// created so that two relays (or a relay re-created in tests) can share a registry.
import type { MikroORM } from "@mikro-orm/postgresql";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface RelayMetrics {
  published(count: number, lagsSeconds: readonly number[]): void;
  failing(isFailing: boolean): void;
}

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createRelayMetrics(registry: Registry | undefined, orm: MikroORM): RelayMetrics {
  if (!registry) return { published() {}, failing() {} };
  getOrCreate(
    registry,
    "outbox_backlog",
    () =>
      new Gauge({
        name: "outbox_backlog",
        help: "Outbox events committed but not yet published.",
        registers: [registry],
        async collect() {
          const rows = (await orm.em.getConnection().execute("select count(*)::int as n from outbox_event where published_at is null")) as {
            n: number;
          }[];
          this.set(rows[0]?.n ?? 0);
        },
      }),
  );
  const publishedTotal = getOrCreate(
    registry,
    "outbox_published_total",
    () => new Counter({ name: "outbox_published_total", help: "Outbox events published.", registers: [registry] }),
  );
  const publishLag = getOrCreate(
    registry,
    "outbox_publish_lag_seconds",
    () =>
      new Histogram({
        name: "outbox_publish_lag_seconds",
        help: "Time from an event's occurrence (its transaction) to its acknowledged publication.",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers: [registry],
      }),
  );
  const failingGauge = getOrCreate(
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
