// The embedded platform's settings, from the environment. The edge policy (CORS_ALLOWED_ORIGINS,
// RATE_LIMIT_*, JWT_*) is read by the same code as Envoy's (edge-policy.ts), so one environment configures
// either gateway the same way (docs/gateway-embedded.md lists them).
import { EnvReader } from "@identity/shared/config.ts";
import { IN_MEMORY } from "@identity/shared/orm/embedded-database.ts";
import { type EdgePolicy, readEdgePolicy, readEndpoint } from "../edge-policy.ts";

type Env = Record<string, string | undefined>;

export interface EmbeddedOptions extends Omit<EdgePolicy, "jwt"> {
  host: string;
  port: number;
  /** Where each service's PGlite database lives (`<dir>/<service>`), or `:memory:`. */
  dataDir: string;
  webDist: string;
  /** How long a transcoded call may take before the gateway answers 504. */
  upstreamTimeoutMs: number;
  logLevel: string;
  /** On SIGTERM: how long requests in flight and the outbox flush may take before the process stops anyway. */
  drainTimeoutMs: number;
}

/** `GATEWAY_LISTEN=host:port` (default 127.0.0.1:8080); `GATEWAY_PORT` alone changes the port. */
function listen(env: EnvReader): { host: string; port: number } {
  if (env.optionalString("GATEWAY_LISTEN")) return readEndpoint(env, "GATEWAY_LISTEN", "127.0.0.1:8080");
  return { host: "127.0.0.1", port: env.int("GATEWAY_PORT", { default: 8080, min: 0, max: 65535 }) };
}

export function embeddedOptionsFromEnv(raw: Env = process.env): EmbeddedOptions {
  const env = new EnvReader(raw);
  const { jwt: _verifiedByTheAuthServiceKeys, ...policy } = readEdgePolicy(env);
  const options: EmbeddedOptions = {
    ...policy,
    ...listen(env),
    dataDir: env.string("EMBEDDED_DATA_DIR", { default: ".data/embedded" }),
    webDist: env.string("WEB_DIST", { default: "web/dist" }),
    upstreamTimeoutMs: env.int("GATEWAY_UPSTREAM_TIMEOUT_MS", { default: 15_000, min: 1 }),
    logLevel: env.string("LOG_LEVEL", { default: "info" }),
    drainTimeoutMs: env.int("DRAIN_TIMEOUT_SECONDS", { default: 10, min: 1, max: 300 }) * 1000,
  };
  env.done();
  return options;
}

export { IN_MEMORY };
