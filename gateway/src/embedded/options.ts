// The embedded platform's settings, from the environment. Variable names are the Envoy configuration's
// where the two gateways share a policy (CORS_ALLOWED_ORIGINS, RATE_LIMIT_*), so one environment
// configures either gateway the same way (docs/gateway-embedded.md lists them).
import { IN_MEMORY } from "./embedded-database.ts";
import type { RateLimit } from "./rate-limiter.ts";

type Env = Record<string, string | undefined>;

export interface EmbeddedOptions {
  environment: "dev" | "prod";
  host: string;
  port: number;
  /** Where each service's PGlite database lives (`<dir>/<service>`), or `:memory:`. */
  dataDir: string;
  webDist: string;
  corsAllowedOrigins: string[];
  rateLimits: { auth: RateLimit; default: RateLimit };
  rateLimitTrackedClients: number;
  /** How long a transcoded call may take before the gateway answers 504. */
  upstreamTimeoutMs: number;
  logLevel: string;
}

function fail(name: string, why: string): never {
  throw new Error(`${name}: ${why}`);
}

function list(env: Env, name: string, fallback: string): string[] {
  return (env[name] ?? fallback)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function int(env: Env, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(name, `expected an integer >= ${min}, got "${raw}"`);
  return n;
}

function rateLimit(env: Env, name: string, requests: number, periodSeconds: number): RateLimit {
  return { requests: int(env, `${name}_REQUESTS`, requests), periodSeconds: int(env, `${name}_PERIOD_SECONDS`, periodSeconds) };
}

/** `GATEWAY_LISTEN=host:port` (default 127.0.0.1:8080); `GATEWAY_PORT` alone changes the port. */
function listen(env: Env): { host: string; port: number } {
  const raw = env.GATEWAY_LISTEN;
  if (raw) {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(raw);
    if (!m) fail("GATEWAY_LISTEN", `expected host:port, got "${raw}"`);
    return { host: m[1] as string, port: Number(m[2]) };
  }
  return { host: "127.0.0.1", port: int(env, "GATEWAY_PORT", 8080, 0) };
}

export function embeddedOptionsFromEnv(env: Env = process.env): EmbeddedOptions {
  const environment = env.ENVIRONMENT ?? "dev";
  if (environment !== "dev" && environment !== "prod") fail("ENVIRONMENT", `expected dev or prod, got "${environment}"`);
  return {
    environment,
    ...listen(env),
    dataDir: env.EMBEDDED_DATA_DIR || ".data/embedded",
    webDist: env.WEB_DIST || "web/dist",
    corsAllowedOrigins: list(env, "CORS_ALLOWED_ORIGINS", "http://localhost:3000,http://localhost:8080"),
    rateLimits: {
      auth: rateLimit(env, "RATE_LIMIT_AUTH", 60, 60),
      default: rateLimit(env, "RATE_LIMIT_DEFAULT", 600, 60),
    },
    rateLimitTrackedClients: int(env, "RATE_LIMIT_TRACKED_CLIENTS", 10_000),
    upstreamTimeoutMs: int(env, "GATEWAY_UPSTREAM_TIMEOUT_MS", 15_000),
    logLevel: env.LOG_LEVEL ?? "info",
  };
}

export { IN_MEMORY };
