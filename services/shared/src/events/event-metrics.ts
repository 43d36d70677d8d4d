// What the event pipeline's metrics (relay and consumers) have in common. Metrics are looked up before being
// created so that two relays or consumers (or one re-created in tests) can share the service's registry.
import { Histogram, type Registry } from "prom-client";

export function registeredMetric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** A histogram of the time from an event's occurrence to a step of its delivery: milliseconds to minutes. */
export function eventLagHistogram<L extends string = string>(
  registry: Registry,
  config: { name: string; help: string; labelNames?: readonly L[] },
): Histogram<L> {
  return registeredMetric(
    registry,
    config.name,
    () =>
      new Histogram<L>({
        ...config,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers: [registry],
      }),
  );
}
