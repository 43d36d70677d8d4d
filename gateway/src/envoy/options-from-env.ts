// The only place that reads the environment for the Envoy configuration. Defaults are the development
// stack's (everything on 127.0.0.1, ports of docs/architecture.md); production sets every variable.
import type { Owner } from "@identity/proto/contract";
import { defaultCertsDir, type Endpoint, type GatewayOptions, type RateLimit, sanOf } from "./options.ts";

type Env = Record<string, string | undefined>;

const defaultRpcPorts: Record<Owner, number> = { auth: 50051, profile: 50052, friendship: 50053 };

function fail(name: string, why: string): never {
  throw new Error(`${name}: ${why}`);
}

function list(env: Env, name: string, fallback: string): string[] {
  return (env[name] ?? fallback)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) fail(name, `expected a positive integer, got "${raw}"`);
  return n;
}

function endpoint(name: string, raw: string): Endpoint {
  const m = /^(.+):(\d+)$/.exec(raw);
  if (!m) fail(name, `expected host:port, got "${raw}"`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/**
 * `GATEWAY_<OWNER>_ENDPOINTS=host:port,host:port` lists the replicas explicitly; otherwise
 * `GATEWAY_<OWNER>_REPLICAS=N` means N consecutive ports from the service's RPC port on 127.0.0.1.
 */
function endpointsOf(env: Env, owner: Owner): Endpoint[] {
  const key = `GATEWAY_${owner.toUpperCase()}_ENDPOINTS`;
  const explicit = list(env, key, "");
  if (explicit.length > 0) return explicit.map((e) => endpoint(key, e));
  const replicas = int(env, `GATEWAY_${owner.toUpperCase()}_REPLICAS`, 1);
  return Array.from({ length: replicas }, (_, i) => ({ host: "127.0.0.1", port: defaultRpcPorts[owner] + i }));
}

function rateLimit(env: Env, name: string, requests: number, periodSeconds: number): RateLimit {
  return { requests: int(env, `${name}_REQUESTS`, requests), periodSeconds: int(env, `${name}_PERIOD_SECONDS`, periodSeconds) };
}

export function optionsFromEnv(env: Env = process.env): GatewayOptions {
  const environment = (env.ENVIRONMENT ?? "dev") as GatewayOptions["environment"];
  if (environment !== "dev" && environment !== "prod") fail("ENVIRONMENT", `expected dev or prod, got "${environment}"`);
  const certsDir = env.CERTS_DIR ?? defaultCertsDir;
  const owners: Owner[] = ["auth", "profile", "friendship"];
  return {
    environment,
    listen: endpoint("GATEWAY_LISTEN", env.GATEWAY_LISTEN ?? "0.0.0.0:8080"),
    admin: endpoint("ENVOY_ADMIN", env.ENVOY_ADMIN ?? `127.0.0.1:${env.ENVOY_ADMIN_PORT ?? "9901"}`),
    services: Object.fromEntries(
      owners.map((owner) => [owner, { endpoints: endpointsOf(env, owner), san: sanOf(owner) }]),
    ) as GatewayOptions["services"],
    web: endpoint("GATEWAY_WEB", env.GATEWAY_WEB ?? "127.0.0.1:8090"),
    certs: { ca: `${certsDir}/ca.crt`, cert: `${certsDir}/envoy.crt`, key: `${certsDir}/envoy.key` },
    transcoderDescriptor: env.ENVOY_TRANSCODER_DESCRIPTOR ?? ".data/envoy/transcoder.binpb",
    corsAllowedOrigins: list(env, "CORS_ALLOWED_ORIGINS", "http://localhost:3000,http://localhost:8080"),
    jwt: {
      issuer: env.JWT_ISSUER ?? "identity-platform",
      audiences: list(env, "JWT_AUDIENCES", "react-frontend"),
      jwksCacheSeconds: int(env, "JWT_JWKS_CACHE_SECONDS", 300),
    },
    rateLimits: {
      auth: rateLimit(env, "RATE_LIMIT_AUTH", 60, 60),
      default: rateLimit(env, "RATE_LIMIT_DEFAULT", 600, 60),
    },
    rateLimitTrackedClients: int(env, "RATE_LIMIT_TRACKED_CLIENTS", 10000),
  };
}
