// Builds one service from its definition, the same way wherever it is hosted (its own process, a test
// harness, the embedded gateway): configuration from an environment, the ORM with its migrations, the event
// bus, metrics, the module, and its RPC handler behind every platform interceptor. Nothing listens yet.
import type { AccessTokenVerifier } from "../auth/access-token-verifier.ts";
import { createAccessTokenVerifier, withRevocations } from "../auth/access-token-verifier.ts";
import { createRemoteJwks } from "../auth/remote-jwks.ts";
import { subscribeRevocations } from "../auth/revocation-feed.ts";
import { createRevocationList, type RevocationList } from "../auth/revocation-list.ts";
import { createServiceAuthenticator, readServiceAuthConfig } from "../auth/service-authenticator.ts";
import { type CommonConfig, EnvReader, readCommonConfig } from "../config.ts";
import { createEventBus } from "../events/create-event-bus.ts";
import type { EventBus } from "../events/event-bus.ts";
import { createIdempotencyInterceptor } from "../idempotency/idempotency-interceptor.ts";
import type { Logger } from "../logger.ts";
import { createOrm, type MikroORM } from "../orm/create-orm.ts";
import { createMetrics, type Metrics } from "../rpc/metrics.ts";
import { createSecurityLog } from "../security/security-log.ts";
import type { ServiceModule } from "../service-module.ts";
import { createDrain, type Drain, type DrainSettings, drainAwareReadiness } from "./drain.ts";
import { createRpcHandler, type RequestHandler } from "./rpc-handler.ts";
import type { ServiceDefinition } from "./service-definition.ts";

export interface BuildOptions {
  env: Record<string, string | undefined>;
  logger: Logger;
  /** A bus the host owns (the embedded platform's shared one, a test's); otherwise the configured one, owned here. */
  bus?: EventBus;
  /** The user-token verifier; otherwise the service's own (auth), else the JWKS at JWKS_URL. */
  verifier?: AccessTokenVerifier;
  /** Creates the database when missing (development). */
  createDatabase?: boolean;
  poolMax?: number;
}

export interface BuiltService<Module extends ServiceModule = ServiceModule> {
  name: string;
  module: Module;
  common: CommonConfig;
  orm: MikroORM;
  bus: EventBus;
  metrics: Metrics;
  /** Checks signatures only (what a gateway in front needs); the service's own handler also checks revocations. */
  verifier: AccessTokenVerifier;
  /** The sessions and accounts whose still-unexpired access tokens this service refuses. */
  revocations: RevocationList;
  /** The RPC handler, counting requests in flight for the drain. */
  handler: RequestHandler;
  /** Shutdown state: once begun, readiness and the gRPC health check fail. */
  drain: Drain;
  drainSettings: DrainSettings;
  /** The module's readiness, failing while draining: for /readyz and the gRPC health check. */
  checkReady(): Promise<void>;
  /** Starts the bus (when owned here) and the module's background work. */
  start(): Promise<void>;
  /** Stops the module, the bus (when owned here) and the database connections. */
  stop(): Promise<void>;
}

/** Reads the JWKS settings; the verifier is made only once the whole configuration is known to be valid. */
function jwksVerifier(env: EnvReader, common: CommonConfig): () => AccessTokenVerifier {
  const url = env.string("JWKS_URL", { devDefault: "http://127.0.0.1:8080/.well-known/jwks.json" });
  const servername = env.optionalString("JWKS_TLS_SERVERNAME");
  return () => {
    const keys = createRemoteJwks({ url, tls: url.startsWith("https:") && common.tls ? { ...common.tls, servername } : undefined });
    return createAccessTokenVerifier({ keys, issuer: common.jwt.issuer, audiences: common.jwt.audiences });
  };
}

export async function buildService<Config, Module extends ServiceModule>(
  definition: ServiceDefinition<Config, Module>,
  options: BuildOptions,
): Promise<BuiltService<Module>> {
  const env = new EnvReader(options.env);
  const common = readCommonConfig(env, definition.name, definition.defaults);
  const config = definition.readConfig(env, common);
  const services = createServiceAuthenticator(readServiceAuthConfig(env));
  const makeJwksVerifier = options.verifier || definition.verifier ? undefined : jwksVerifier(env, common);
  const drainSettings: DrainSettings = {
    graceMs: env.int("DRAIN_GRACE_SECONDS", { default: 3, min: 0, max: 120 }) * 1000,
    timeoutMs: env.int("DRAIN_TIMEOUT_SECONDS", { default: 10, min: 1, max: 300 }) * 1000,
  };
  env.done();
  const fromJwks = makeJwksVerifier?.();

  const { logger } = options;
  const orm = await createOrm({
    databaseUrl: common.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    routines: definition.routines,
    createDatabase: options.createDatabase,
    poolMax: options.poolMax,
  });
  const ownsBus = options.bus === undefined;
  const bus = options.bus ?? (await createEventBus(common, logger));
  const metrics = createMetrics(definition.name);
  const securityLog = createSecurityLog(logger, metrics.registry);
  const module = await definition.create({ config, common, logger, orm, bus, metrics: metrics.registry, securityLog });
  const verifier = options.verifier ?? definition.verifier?.(module, common) ?? fromJwks;
  if (!verifier) throw new Error(`${definition.name}: no access-token verifier`);
  const drain = createDrain();
  const checkReady = drainAwareReadiness(drain, () => module.checkReady());
  const revocations = createRevocationList();
  const handler = createRpcHandler(module, {
    logger,
    environment: common.environment,
    verifier: withRevocations(verifier, revocations),
    services,
    interceptors: [metrics.interceptor],
    innerInterceptors: [createIdempotencyInterceptor({ orm, logger })],
    checkReady,
  });
  return {
    name: definition.name,
    module,
    common,
    orm,
    bus,
    metrics,
    verifier,
    revocations,
    handler: drain.track(handler),
    drain,
    drainSettings,
    checkReady,
    async start() {
      if (ownsBus) await bus.start();
      await subscribeRevocations({ subscriber: bus, list: revocations, service: definition.name, logger });
      await module.start();
    },
    async stop() {
      await module.stop();
      if (ownsBus) await bus.stop();
      await orm.close();
    },
  };
}
