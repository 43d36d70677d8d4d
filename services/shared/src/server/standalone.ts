// Hosts one service as its own process: configuration from the environment (refused in production when
// unsafe), PostgreSQL through MikroORM (migrations applied at start), the configured event bus, the RPC and
// ops ports, graceful shutdown.
import type { Logger } from "../logger.ts";
import { assertProductionSafe } from "../production-guard.ts";
import type { ServiceModule } from "../service-module.ts";
import { buildService } from "./build-service.ts";
import { sleep } from "./drain.ts";
import { runService } from "./run.ts";
import { serveService } from "./serve-service.ts";
import type { ServiceDefinition } from "./service-definition.ts";

export function runStandalone<Config, Module extends ServiceModule>(definition: ServiceDefinition<Config, Module>): Promise<void> {
  return runService(definition.name, async (logger: Logger) => {
    assertProductionSafe(process.env);
    const service = await buildService(definition, {
      env: process.env,
      logger,
      createDatabase: (process.env.ENVIRONMENT ?? "dev") === "dev",
    });
    logger.level = service.common.logLevel;
    await service.start();
    const server = await serveService({
      module: service.module,
      handler: service.handler,
      config: service.common,
      logger,
      metrics: service.metrics.registry,
      checkReady: service.checkReady,
    });
    const { graceMs, timeoutMs } = service.drainSettings;
    return {
      // Grace, then the listeners' own drain, then the background work: within this much.
      stopTimeoutMs: graceMs + timeoutMs + 10_000,
      async stop() {
        service.drain.begin();
        logger.info({ graceMs, inFlight: service.drain.inFlight }, "draining: readiness and health checks fail from now on");
        await sleep(graceMs);
        const started = Date.now();
        await server.close(timeoutMs);
        logger.info({ drainedMs: Date.now() - started, inFlight: service.drain.inFlight }, "listeners closed; stopping background work");
        // The outbox relay finishes its current batch, consumers commit, then the pools close.
        await service.stop();
      },
    };
  });
}
