// Hosts one service definition in this process, the way runStandalone() hosts it on its own: configuration
// from the environment (with the embedded adapters: its PGlite database, the in-process bus), the ORM with
// its migrations, its module, and its RPC handler with every platform interceptor. What differs is only
// where the handler is mounted: on a loopback port that only the embedded gateway calls.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { type CommonConfig, EnvReader, readCommonConfig } from "@identity/shared/config.ts";
import type { EventBus } from "@identity/shared/events/event-bus.ts";
import type { Logger } from "@identity/shared/logger.ts";
import { createOrm, type MikroORM } from "@identity/shared/orm/create-orm.ts";
import { createMetrics, type Metrics } from "@identity/shared/rpc/metrics.ts";
import { createRpcHandler, type RequestHandler } from "@identity/shared/server/rpc-handler.ts";
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";

// biome-ignore lint/suspicious/noExplicitAny: definitions differ in their config type; hosting never reads it.
export type AnyDefinition = ServiceDefinition<any, ServiceModule>;

export interface BuiltService {
  definition: AnyDefinition;
  module: ServiceModule;
  common: CommonConfig;
  orm: MikroORM;
  metrics: Metrics;
}

export interface HostedService extends BuiltService {
  handler: RequestHandler;
  /** `http://127.0.0.1:<port>`: the service's RPC handler, for the gateway's transcoded calls. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Builds the module: configuration, ORM with migrations, module. Nothing started, nothing listening. */
export async function buildService(
  definition: AnyDefinition,
  options: { env: Record<string, string | undefined>; databaseUrl: string; bus: EventBus; logger: Logger },
): Promise<BuiltService> {
  const env = new EnvReader({ ...options.env, DATABASE_URL: options.databaseUrl, EVENT_BUS: "memory" });
  const common = readCommonConfig(env, definition.name, definition.defaults);
  const config = definition.readConfig(env, common);
  env.done();
  const orm = await createOrm({
    databaseUrl: common.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    poolMax: 8,
  });
  const metrics = createMetrics(definition.name);
  const module = await definition.create({ config, common, logger: options.logger, orm, bus: options.bus, metrics: metrics.registry });
  return { definition, module, common, orm, metrics };
}

/** Mounts the module behind createRpcHandler (with the given verifier), serves it on loopback, starts it. */
export async function hostService(built: BuiltService, options: { verifier: AccessTokenVerifier; logger: Logger }): Promise<HostedService> {
  const handler = createRpcHandler(built.module, {
    logger: options.logger,
    environment: built.common.environment,
    verifier: options.verifier,
    interceptors: [built.metrics.interceptor],
  });
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  await built.module.start();
  const { port } = server.address() as AddressInfo;
  return {
    ...built,
    handler,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await built.module.stop();
      await built.orm.close();
    },
  };
}
