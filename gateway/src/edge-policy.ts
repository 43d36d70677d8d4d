// The policy both gateways enforce at the edge, read from the same variables, so one environment
// configures Envoy and the embedded gateway alike: CORS allow-list, rate limits, JWT issuer and audiences,
// the proxies in front whose X-Forwarded-For is believed.
import type { EnvReader } from "@identity/shared/config.ts";
import { isCidr, type ProxyTrust } from "@identity/shared/net/client-address.ts";

export interface RateLimit {
  requests: number;
  periodSeconds: number;
}

export interface EdgePolicy {
  environment: "dev" | "prod";
  corsAllowedOrigins: string[];
  /** Per client address and route; `auth` applies to the AuthService routes, `default` to the rest. */
  rateLimits: { auth: RateLimit; default: RateLimit };
  /** How many client addresses the limiter tracks at once. */
  rateLimitTrackedClients: number;
  jwt: { issuer: string; audiences: string[] };
  /** Which X-Forwarded-For entries name the client (proxies in front of the gateway). */
  trustedProxies: ProxyTrust;
  /** HTTPS at the edge: the gateway's certificate chain and key (PEM files), or undefined for plain HTTP. */
  edgeTls: { certFile: string; keyFile: string } | undefined;
}

/** `GATEWAY_TLS_CERT_FILE` and `GATEWAY_TLS_KEY_FILE`, together or not at all. */
function readEdgeTls(env: EnvReader): EdgePolicy["edgeTls"] {
  const certFile = env.optionalString("GATEWAY_TLS_CERT_FILE");
  const keyFile = env.optionalString("GATEWAY_TLS_KEY_FILE");
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    env.problem("GATEWAY_TLS_CERT_FILE and GATEWAY_TLS_KEY_FILE go together");
    return undefined;
  }
  return { certFile, keyFile };
}

/**
 * `TRUSTED_PROXY_HOPS` (default 0: the gateway is the edge) or `TRUSTED_PROXY_CIDRS` (the proxies' addresses),
 * not both: Envoy's hops and its trusted-CIDR detection exclude each other, and so the embedded gateway's.
 */
function readProxyTrust(env: EnvReader): ProxyTrust {
  const hops = env.int("TRUSTED_PROXY_HOPS", { default: 0, min: 0, max: 10 });
  const cidrs = env.list("TRUSTED_PROXY_CIDRS", { default: [] });
  for (const cidr of cidrs) if (!isCidr(cidr)) env.problem(`TRUSTED_PROXY_CIDRS: "${cidr}" is not an address or CIDR`);
  if (hops > 0 && cidrs.length > 0) env.problem("TRUSTED_PROXY_HOPS and TRUSTED_PROXY_CIDRS exclude each other: set one");
  return { hops, cidrs };
}

function rateLimit(env: EnvReader, name: string, requests: number, periodSeconds: number): RateLimit {
  return {
    requests: env.int(`${name}_REQUESTS`, { default: requests, min: 1 }),
    periodSeconds: env.int(`${name}_PERIOD_SECONDS`, { default: periodSeconds, min: 1 }),
  };
}

export function readEdgePolicy(env: EnvReader): EdgePolicy {
  return {
    environment: env.environment,
    corsAllowedOrigins: env.list("CORS_ALLOWED_ORIGINS", { default: ["http://localhost:3000", "http://localhost:8080"] }),
    rateLimits: {
      auth: rateLimit(env, "RATE_LIMIT_AUTH", 60, 60),
      default: rateLimit(env, "RATE_LIMIT_DEFAULT", 600, 60),
    },
    rateLimitTrackedClients: env.int("RATE_LIMIT_TRACKED_CLIENTS", { default: 10_000, min: 1 }),
    trustedProxies: readProxyTrust(env),
    edgeTls: readEdgeTls(env),
    jwt: {
      issuer: env.string("JWT_ISSUER", { default: "identity-platform" }),
      audiences: env.list("JWT_AUDIENCES", { default: ["react-frontend"] }),
    },
  };
}

/** Parses `host:port` (IPv6 hosts in brackets), recording a problem under the variable's name when malformed. */
export function parseEndpoint(env: EnvReader, name: string, raw: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(raw);
  if (!m) {
    env.problem(`${name} must be host:port (got "${raw}")`);
    return { host: "", port: 0 };
  }
  return { host: m[1] as string, port: Number(m[2]) };
}

export function readEndpoint(env: EnvReader, name: string, fallback: string): { host: string; port: number } {
  return parseEndpoint(env, name, env.string(name, { default: fallback }));
}
