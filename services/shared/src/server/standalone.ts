// Hosts one service as its own process: configuration from the environment, PostgreSQL through MikroORM
// (migrations applied at start), the configured event bus, the RPC and ops ports, graceful shutdown.
import { createAccessTokenVerifier } from "../auth/access-token-verifier.ts";
import { createRemoteJwks } from "../auth/remote-jwks.ts";
import { createServiceAuthenticator, readServiceAuthConfig } from "../auth/service-authenticator.ts";
import { type CommonConfig, EnvReader, readCommonConfig } from "../config.ts";
import { createEventBus } from "../events/create-event-bus.ts";
import type { Logger } from "../logger.ts";
import { createOrm } from "../orm/create-orm.ts";
import { assertProductionSafe } from "../production-guard.ts";
import { createMetrics } from "../rpc/metrics.ts";
import type { ServiceModule } from "../service-module.ts";
import { createRpcHandler } from "./rpc-handler.ts";
import { runService } from "./run.ts";
import { serveService } from "./serve-service.ts";
import type { ServiceDefinition } from "./service-definition.ts";

function remoteVerifier(env: EnvReader, common: CommonConfig) {
  const url = env.string("JWKS_URL", { devDefault: "http://127.0.0.1:8080/.well-known/jwks.json" });
  const servername = env.optionalString("JWKS_TLS_SERVERNAME");
  const keys = createRemoteJwks({
    url,
    tls: url.startsWith("https:") && common.tls ? { ...common.tls, servername } : undefined,
  });
  return createAccessTokenVerifier({ keys, issuer: common.jwt.issuer, audiences: common.jwt.audiences });
}

export function runStandalone<Config, Module extends ServiceModule>(definition: ServiceDefinition<Config, Module>): Promise<void> {
  return runService(definition.name, async (logger: Logger) => {
    assertProductionSafe(process.env);
    const env = new EnvReader();
    const common = readCommonConfig(env, definition.name, definition.defaults);
    const config = definition.readConfig(env, common);
    const defaultVerifier = definition.verifier ? undefined : remoteVerifier(env, common);
    const services = createServiceAuthenticator(readServiceAuthConfig(env));
    env.done();
    logger.level = common.logLevel;

    const orm = await createOrm({
      databaseUrl: common.databaseUrl,
      entities: definition.entities,
      migrations: definition.migrations,
      createDatabase: common.environment === "dev",
    });
    const bus = await createEventBus(common, logger);
    const metrics = createMetrics(definition.name);
    const module = await definition.create({ config, common, logger, orm, bus, metrics: metrics.registry });
    const verifier = definition.verifier?.(module, common) ?? defaultVerifier;
    if (!verifier) throw new Error("no access-token verifier");
    const handler = createRpcHandler(module, {
      logger,
      environment: common.environment,
      verifier,
      services,
      interceptors: [metrics.interceptor],
    });
    await bus.start();
    await module.start();
    const server = await serveService({ module, handler, config: common, logger, metrics: metrics.registry });
    return {
      async stop() {
        await server.close();
        await module.stop();
        await bus.stop();
        await orm.close();
      },
    };
  });
}
