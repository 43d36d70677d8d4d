// The only place that reads the environment for the Envoy configuration. Defaults are the development
// stack's (everything on 127.0.0.1, ports of docs/architecture.md); production sets every variable.
// Every malformed variable is reported at once, by name (the shared EnvReader).

import { EnvReader } from "@identity/shared/config.ts";
import { defaultPorts } from "@identity/shared/server/default-ports.ts";
import { type Owner, owners } from "../edge-plan.ts";
import { parseEndpoint, readEdgePolicy, readEndpoint } from "../edge-policy.ts";
import { defaultCertsDir, type Endpoint, type GatewayOptions, sanOf } from "./options.ts";

type Env = Record<string, string | undefined>;

/**
 * `GATEWAY_<OWNER>_ENDPOINTS=host:port,host:port` lists the replicas explicitly; otherwise
 * `GATEWAY_<OWNER>_REPLICAS=N` means N replicas on 127.0.0.1, the i-th on the service's RPC port + 100·i (as
 * `npm run stack` starts them; consecutive ports would collide with the next service's).
 */
function endpointsOf(env: EnvReader, owner: Owner): Endpoint[] {
  const key = `GATEWAY_${owner.toUpperCase()}_ENDPOINTS`;
  const explicit = env.list(key, { default: [] });
  if (explicit.length > 0) return explicit.map((e) => parseEndpoint(env, key, e));
  const replicas = env.int(`GATEWAY_${owner.toUpperCase()}_REPLICAS`, { default: 1, min: 1 });
  return Array.from({ length: replicas }, (_, i) => ({ host: "127.0.0.1", port: defaultPorts[owner].rpcPort + 100 * i }));
}

export function optionsFromEnv(raw: Env = process.env): GatewayOptions {
  const env = new EnvReader(raw);
  const policy = readEdgePolicy(env);
  const certsDir = env.string("CERTS_DIR", { default: defaultCertsDir });
  const options: GatewayOptions = {
    ...policy,
    listen: readEndpoint(env, "GATEWAY_LISTEN", "0.0.0.0:8080"),
    admin: readEndpoint(env, "ENVOY_ADMIN", `127.0.0.1:${env.string("ENVOY_ADMIN_PORT", { default: "9901" })}`),
    services: Object.fromEntries(
      owners.map((owner) => [owner, { endpoints: endpointsOf(env, owner), san: sanOf(owner) }]),
    ) as GatewayOptions["services"],
    web: readEndpoint(env, "GATEWAY_WEB", "127.0.0.1:8090"),
    certs: { ca: `${certsDir}/ca.crt`, cert: `${certsDir}/envoy.crt`, key: `${certsDir}/envoy.key` },
    transcoderDescriptor: env.string("ENVOY_TRANSCODER_DESCRIPTOR", { default: ".data/envoy/transcoder.binpb" }),
    jwt: { ...policy.jwt, jwksCacheSeconds: env.int("JWT_JWKS_CACHE_SECONDS", { default: 300, min: 1 }) },
  };
  env.done();
  return options;
}
