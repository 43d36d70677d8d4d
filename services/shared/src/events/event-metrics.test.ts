import { Registry } from "prom-client";
import { eventLagHistogram, registeredMetric } from "./event-metrics.ts";

test("a metric already on the registry is reused, not registered twice", () => {
  const registry = new Registry();
  const config = { name: "test_event_lag_seconds", help: "Test lag." };
  const first = eventLagHistogram(registry, config);
  expect(eventLagHistogram(registry, config)).toBe(first);
  expect(registeredMetric(registry, config.name, () => "created")).toBe(first);
  expect(registry.getMetricsAsArray()).toHaveLength(1);
});

test("event lag histograms count from milliseconds to minutes", async () => {
  const registry = new Registry();
  eventLagHistogram(registry, { name: "test_event_lag_seconds", help: "Test lag.", labelNames: ["group"] }).observe({ group: "g" }, 0.003);
  const text = await registry.getSingleMetricAsString("test_event_lag_seconds");
  expect(text).toMatch(/_bucket\{le="0.005",group="g"\} 1$/m);
  expect(text).toMatch(/_bucket\{le="300",group="g"\} 1$/m);
});
