// Authenticates the platform's other backends (the CMS) for ACCESS_SERVICE RPCs, never with an end-user
// token. Two credentials:
// - a scoped API key in the `x-api-key` header (never a query parameter). Keys are configured hashed
//   (SHA-256: an API key is a long random secret, so a fast hash is enough and no plaintext is stored);
//   removing an entry revokes the key. SERVICE_API_KEYS="cms:<sha256 hex>:identity.profile.v1.UserLookupService,..."
// - a mesh client certificate: the mTLS peer's exact SAN in SERVICE_CLIENT_SANS ("cms.identity.internal=scope|scope").
// A scope is a service name (`identity.profile.v1.UserLookupService`) or one RPC path.
import { createHash, timingSafeEqual } from "node:crypto";
import type { EnvReader } from "../config.ts";
import { domainError, ErrorReason } from "../errors.ts";
import type { ServiceAuthenticator } from "./auth-interceptor.ts";
import type { ServiceCaller } from "./caller.ts";

export interface ApiKeyEntry {
  name: string;
  sha256: Buffer;
  scopes: readonly string[];
}

export interface ServiceAuthConfig {
  apiKeys: readonly ApiKeyEntry[];
  clientSans: ReadonlyMap<string, readonly string[]>;
}

export const hashApiKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

export function readServiceAuthConfig(env: EnvReader): ServiceAuthConfig {
  const apiKeys: ApiKeyEntry[] = [];
  for (const entry of env.list("SERVICE_API_KEYS", { default: [] }).flatMap((e) => e.split(";"))) {
    const [name, hash, scopes] = entry.split(":");
    if (!name || !hash || !/^[0-9a-f]{64}$/.test(hash) || !scopes) {
      env.problem("SERVICE_API_KEYS entries are name:sha256hex:scope|scope");
      continue;
    }
    apiKeys.push({ name, sha256: Buffer.from(hash, "hex"), scopes: scopes.split("|") });
  }
  const clientSans = new Map<string, string[]>();
  for (const entry of env.list("SERVICE_CLIENT_SANS", { default: [] })) {
    const [san, scopes] = entry.split("=");
    if (!san || !scopes) {
      env.problem("SERVICE_CLIENT_SANS entries are san=scope|scope");
      continue;
    }
    clientSans.set(san, scopes.split("|"));
  }
  return { apiKeys, clientSans };
}

const inScope = (scopes: readonly string[], rpcPath: string) => scopes.some((s) => rpcPath === s || rpcPath.startsWith(`/${s}/`));

export function createServiceAuthenticator(config: ServiceAuthConfig): ServiceAuthenticator {
  return {
    async authenticate({ header, rpcPath, peerSans }) {
      let caller: ServiceCaller | undefined;
      const key = header.get("x-api-key");
      if (key) {
        const digest = createHash("sha256").update(key, "utf8").digest();
        const entry = config.apiKeys.find((e) => timingSafeEqual(e.sha256, digest));
        if (entry) caller = { name: entry.name, scopes: entry.scopes };
      }
      if (!caller) {
        const san = peerSans.find((s) => config.clientSans.has(s));
        if (san) caller = { name: san, scopes: config.clientSans.get(san) ?? [] };
      }
      if (caller && !inScope(caller.scopes, rpcPath)) {
        throw domainError(ErrorReason.SCOPE_NOT_GRANTED);
      }
      return caller;
    },
  };
}
