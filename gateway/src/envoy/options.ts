// What the Envoy configuration depends on, besides the contract: where things are, and the policies that
// differ between a laptop and production. Only options-from-env.ts fills it from the environment; tests
// build it directly.
import type { Owner } from "@identity/proto/contract";

export interface Endpoint {
  host: string;
  port: number;
}

export interface UpstreamService {
  /** One endpoint per replica: two replicas on one machine are two ports on 127.0.0.1. */
  endpoints: Endpoint[];
  /** The exact DNS SAN the service's certificate must carry; also sent as SNI. */
  san: string;
}

export type { RateLimit } from "../edge-policy.ts";

import type { RateLimit } from "../edge-policy.ts";

export interface GatewayOptions {
  environment: "dev" | "prod";
  listen: Endpoint;
  admin: Endpoint;
  services: Record<Owner, UpstreamService>;
  /** The static web app and docs server (plain HTTP, loopback or private network). */
  web: Endpoint;
  certs: { ca: string; cert: string; key: string };
  /** Where the transcoder's descriptor set is (written by main.ts next to the config). */
  transcoderDescriptor: string;
  corsAllowedOrigins: string[];
  jwt: { issuer: string; audiences: string[]; jwksCacheSeconds: number };
  rateLimits: { auth: RateLimit; default: RateLimit };
  /** Number of distinct client addresses Envoy keeps a bucket for (LRU). */
  rateLimitTrackedClients: number;
  /** HTTPS at the edge (GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE); plain HTTP is then redirected. */
  edgeTls: { certFile: string; keyFile: string } | undefined;
  /** Proxies in front of Envoy whose X-Forwarded-For entries are believed (edge-policy.ts). */
  trustedProxies: { hops: number; cidrs: readonly string[] };
}

export const defaultCertsDir = ".data/certs";

/** SAN of each service's certificate: `<owner>.identity.internal`. */
export const sanOf = (name: string): string => `${name}.identity.internal`;
