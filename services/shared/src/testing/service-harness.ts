// Integration tests build a real service the way main.ts does (real PostgreSQL, its migrations, the real
// RPC handler with every interceptor) and serve it on port 0; clients reach it over HTTP/2 with the Connect
// or gRPC protocol. The event bus is the in-process one unless a test hands another.
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import type { AccessTokenVerifier } from "../auth/access-token-verifier.ts";
import type { EventBus } from "../events/event-bus.ts";
import { createMemoryBus } from "../events/memory-bus.ts";
import { type Logger, silentLogger } from "../logger.ts";
import type { MikroORM } from "../orm/create-orm.ts";
import { buildService } from "../server/build-service.ts";
import { serveService } from "../server/serve-service.ts";
import type { ServiceDefinition } from "../server/service-definition.ts";
import type { ServiceModule } from "../service-module.ts";
import { declaredReasonsOnly } from "./declared-reasons.ts";
import { createTestDatabase } from "./test-database.ts";

export interface ServiceHarness<Module extends ServiceModule> {
  module: Module;
  orm: MikroORM;
  bus: EventBus;
  baseUrl: string;
  opsUrl: string;
  /** A Connect-protocol client; pass a bearer token to call as a user. */
  client<S extends DescService>(service: S, token?: string): Client<S>;
  /** A gRPC-protocol client. */
  grpcClient<S extends DescService>(service: S, token?: string): Client<S>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Environment variables as the service would read them (ENVIRONMENT defaults to dev), e.g. SERVICE_API_KEYS. */
  env?: Record<string, string>;
  bus?: EventBus;
  /** The verifier for user tokens; the auth service's own is used when the definition has one. */
  verifier?: AccessTokenVerifier;
  /** The service's logger (silent unless given; createCapturedLog() lets a test read the lines). */
  logger?: Logger;
}

const bearer =
  (token: string | undefined): Interceptor =>
  (next) =>
  (req) => {
    if (token) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };

export async function startServiceHarness<Config, Module extends ServiceModule>(
  definition: ServiceDefinition<Config, Module>,
  options: HarnessOptions = {},
): Promise<ServiceHarness<Module>> {
  const db = await createTestDatabase(definition.name);
  const logger = options.logger ?? silentLogger();
  const bus = options.bus ?? createMemoryBus(logger);
  const service = await buildService(definition, {
    env: { ENVIRONMENT: "dev", EVENT_BUS: "memory", DATABASE_URL: db.url, ...options.env },
    logger,
    bus,
    verifier: options.verifier,
  });
  const { module, orm, metrics } = service;
  await bus.start();
  await service.start();
  const server = await serveService({
    module,
    handler: service.handler,
    config: { ...service.common, rpcPort: 0, opsPort: 0, tls: undefined },
    logger,
    metrics: metrics.registry,
    host: "127.0.0.1",
  });
  const baseUrl = `http://127.0.0.1:${server.rpcPort}`;
  const transports = new Map<string, Transport>();
  const transport = (kind: "connect" | "grpc", token: string | undefined) => {
    const key = `${kind}:${token ?? ""}`;
    let t = transports.get(key);
    if (!t) {
      const opts = { baseUrl, httpVersion: "2" as const, interceptors: [declaredReasonsOnly, bearer(token)] };
      t = kind === "connect" ? createConnectTransport(opts) : createGrpcTransport(opts);
      transports.set(key, t);
    }
    return t;
  };
  return {
    module,
    orm,
    bus,
    baseUrl,
    opsUrl: `http://127.0.0.1:${server.opsPort}`,
    client: (service, token) => createClient(service, transport("connect", token)),
    grpcClient: (service, token) => createClient(service, transport("grpc", token)),
    async close() {
      await server.close();
      await service.stop();
      await bus.stop();
      await db.drop();
    },
  };
}
