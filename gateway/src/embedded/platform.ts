// The whole platform in one process (`npm start`): for each service an embedded PostgreSQL (PGlite) and
// its definition hosted in process, one in-process event bus shared by all, and the built-in gateway in
// front. The services' code is the production code; only the adapters (database server, bus, hosting)
// differ, chosen here.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { AccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { createMemoryBus } from "@identity/shared/events/memory-bus.ts";
import { createLogger, type Logger } from "@identity/shared/logger.ts";
import { type EmbeddedDatabases, IN_MEMORY, startEmbeddedDatabases } from "@identity/shared/orm/embedded-database.ts";
import { type BuiltService, buildService } from "@identity/shared/server/build-service.ts";
import { type Owner, owners } from "../edge-plan.ts";
import { createDualProtocolServer, type DualProtocolServer } from "./dual-protocol-server.ts";
import { type Backend, createGatewayHandler } from "./gateway-handler.ts";
import { type AnyDefinition, type HostedService, hostService } from "./host-service.ts";
import type { EmbeddedOptions } from "./options.ts";
import { publishDatabases, readPublishedDatabases, unpublishDatabases } from "./published-databases.ts";

export interface EmbeddedPlatform {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  services: ReadonlyMap<Owner, HostedService>;
  /** Owners whose definition is not there (yet): their routes answer 503. */
  missing: readonly Owner[];
  stop(): Promise<void>;
}

export interface PlatformDependencies {
  /** The environment the services read their configuration from. */
  env: Record<string, string | undefined>;
  /** The definitions to host; by default each service's `src/definition.ts`, where it exists. */
  definitions?: readonly AnyDefinition[];
  logger?: (name: string) => Logger;
  /** Databases to host services on instead of embedded ones (tests on real PostgreSQL). */
  databaseUrls?: Partial<Record<Owner, string>>;
}

function isDefinition(value: unknown, owner: Owner): value is AnyDefinition {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as AnyDefinition).name === owner &&
    typeof (value as AnyDefinition).create === "function"
  );
}

/** Each service's definition, where its `definition.ts` exists; a service still being written is skipped. */
export async function loadDefinitions(log: Logger): Promise<AnyDefinition[]> {
  const found: AnyDefinition[] = [];
  for (const owner of owners) {
    const specifier = `@identity/${owner}/definition.ts`;
    let file: string;
    try {
      file = fileURLToPath(import.meta.resolve(specifier));
    } catch {
      file = "";
    }
    if (!file || !existsSync(file)) {
      log.warn({ service: owner }, "service definition not found: its routes answer 503");
      continue;
    }
    const mod = (await import(specifier)) as Record<string, unknown>;
    const definition = [mod[`${owner}Service`], mod.default, ...Object.values(mod)].find((v) => isDefinition(v, owner));
    if (!definition) throw new Error(`${path.relative(process.cwd(), file)} exports no ServiceDefinition named "${owner}"`);
    found.push(definition);
  }
  return found;
}

/** Without the auth service no token can be valid. */
const rejectingVerifier: AccessTokenVerifier = {
  async verify() {
    throw domainError(ErrorReason.TOKEN_NOT_VALID);
  },
};

export async function startEmbeddedPlatform(options: EmbeddedOptions, deps: PlatformDependencies): Promise<EmbeddedPlatform> {
  const loggerFor = deps.logger ?? ((name: string) => createLogger(name, options.logLevel));
  const log = loggerFor("gateway");
  const definitions = deps.definitions ?? (await loadDefinitions(log));
  const bus = createMemoryBus(loggerFor("event-bus"));
  let databases: EmbeddedDatabases | undefined;
  const hosted = new Map<Owner, HostedService>();
  const servers: DualProtocolServer[] = [];
  let draining = false;

  const persistent = options.dataDir !== IN_MEMORY;
  const holder = persistent ? readPublishedDatabases(options.dataDir) : undefined;
  if (holder) throw new Error(`the databases in ${options.dataDir} are in use by process ${holder.pid} (${holder.holder})`);

  // In-flight requests first, then the events they caused: each outbox is flushed to the in-process bus and
  // the bus's consumers finish (their own outbox rows go out too), so nothing waits in memory at exit.
  const flushEvents = async (deadline: number) => {
    for (let round = 0; round < 5 && Date.now() < deadline; round++) {
      let published = 0;
      for (const service of hosted.values()) published += (await service.module.flushOutbox?.().catch(() => 0)) ?? 0;
      const idle = await bus.idle(Math.max(0, deadline - Date.now()));
      if (published === 0 && idle) return;
    }
  };
  const stop = async () => {
    draining = true;
    if (persistent) unpublishDatabases(options.dataDir);
    const deadline = Date.now() + options.drainTimeoutMs;
    await Promise.all(servers.map((server) => server.close(Math.max(0, deadline - Date.now()))));
    if (hosted.size > 0) await flushEvents(deadline).catch((err: unknown) => log.error({ err }, "flushing events failed"));
    for (const service of [...hosted.values()].reverse())
      await service.close().catch((err: unknown) => log.error({ err }, "stopping a service failed"));
    await bus.stop();
    await databases?.close().catch((err: unknown) => log.error({ err }, "closing the databases failed"));
  };

  try {
    // Auth first: its key store is the verifier of every service and of the gateway.
    const ordered = [...definitions].sort((a, b) => owners.indexOf(a.name) - owners.indexOf(b.name));
    const built: BuiltService[] = [];
    let authVerifier: AccessTokenVerifier | undefined;
    const embedded = ordered.map((d) => d.name).filter((name) => !deps.databaseUrls?.[name]);
    databases = await startEmbeddedDatabases(embedded, { dataDir: options.dataDir });
    if (databases.layout === "instances")
      log.warn(
        { data: options.dataDir },
        "this data folder keeps a PGlite per service (an earlier layout): about 100 MB more memory than one",
      );
    const urls: Partial<Record<Owner, string>> = { ...databases.urls, ...deps.databaseUrls };
    for (const definition of ordered) {
      const service = await buildService(definition, {
        // The gateway in front is the one proxy: it sends the client it resolved as the only
        // x-forwarded-for entry (over loopback, where no certificate can say it is the gateway).
        env: { ...deps.env, DATABASE_URL: urls[definition.name], EVENT_BUS: "memory", TRUSTED_PROXY_HOPS: "1" },
        bus,
        logger: loggerFor(definition.name),
        verifier: definition.name === "auth" ? undefined : (authVerifier ?? rejectingVerifier),
        poolMax: 8,
      });
      if (definition.name === "auth") authVerifier = service.verifier;
      built.push(service);
    }
    // `npm run import:drf` reaches the databases of a running platform through these URLs.
    if (persistent) publishDatabases(options.dataDir, "platform", Object.fromEntries(ordered.map((d) => [d.name, urls[d.name] ?? ""])));
    const verifier = authVerifier ?? rejectingVerifier;
    await bus.start();
    for (const b of built) hosted.set(b.name as Owner, await hostService(b));

    const backends: Partial<Record<Owner, Backend>> = {};
    for (const [owner, service] of hosted) {
      backends[owner] = {
        handler: service.handler,
        transport: createConnectTransport({ baseUrl: service.baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
      };
    }
    const missing = owners.filter((o) => !hosted.has(o));
    const handler = createGatewayHandler(
      options,
      {
        backends,
        verifier,
        async checkReady() {
          if (draining) throw new Error("shutting down");
          if (missing.length > 0) throw new Error("a service is missing");
          await bus.checkReady();
          await Promise.all([...hosted.values()].map((s) => s.module.checkReady()));
        },
      },
      log,
    );

    // HTTP/1.1 and h2c on one port: browsers, curl, Connect and gRPC-Web clients, and gRPC clients.
    const makeServer = () => {
      const server = createDualProtocolServer(handler, options.edgeTls);
      servers.push(server);
      return server;
    };
    const port = await makeServer().listen(options.port, options.host);
    const scheme = options.edgeTls ? "https" : "http";
    // `localhost` may resolve to ::1 first (browsers, Vite's proxy): answer there too when it exists.
    if (options.host === "127.0.0.1" && options.port !== 0) {
      await makeServer()
        .listen(port, "::1")
        .catch(() => servers.pop());
    }
    log.info(
      { url: `${scheme}://localhost:${port}`, services: [...hosted.keys()], missing, data: options.dataDir },
      "embedded platform listening",
    );
    return { url: `${scheme}://127.0.0.1:${port}`, port, services: hosted, missing, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
