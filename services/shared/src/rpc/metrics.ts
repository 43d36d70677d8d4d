// Prometheus metrics per service: request rate, errors and latency per RPC. Other parts (outbox relay,
// consumers) register their own gauges on the same registry.
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  interceptor: Interceptor;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "rpc_requests_total",
    help: "RPCs handled, by method and status code.",
    labelNames: ["method", "code"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "rpc_duration_seconds",
    help: "RPC handling time, by method.",
    labelNames: ["method"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const interceptor: Interceptor = (next) => async (req) => {
    const method = `${req.service.typeName}/${req.method.name}`;
    const end = duration.startTimer({ method });
    try {
      const res = await next(req);
      requests.inc({ method, code: "ok" });
      return res;
    } catch (err) {
      const code = err instanceof ConnectError ? Code[err.code] : "internal";
      requests.inc({ method, code: String(code).toLowerCase() });
      throw err;
    } finally {
      end();
    }
  };
  return { registry, interceptor };
}
