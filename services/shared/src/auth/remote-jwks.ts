// A JWKS fetched over HTTP(S), with the platform's client certificate when mutual TLS is configured.
// Cached; refetched when a token names an unknown `kid` (at most once per cooldown), so a rotated-in key is
// picked up at once while a flood of forged kids cannot turn into a flood of fetches.
import { readFileSync } from "node:fs";
import https from "node:https";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

export interface RemoteJwksOptions {
  url: string;
  tls?: { certFile: string; keyFile: string; caFile: string; servername?: string };
  cooldownMs?: number;
  maxAgeMs?: number;
}

function fetchJson(url: string, agent: https.Agent | undefined, servername: string | undefined): Promise<JSONWebKeySet> {
  if (!agent) {
    return fetch(url, { signal: AbortSignal.timeout(5000) }).then(async (r) => {
      if (!r.ok) throw new Error(`JWKS fetch failed: ${r.status}`);
      return (await r.json()) as JSONWebKeySet;
    });
  }
  return new Promise((resolve, reject) => {
    const req = https.get(url, { agent, servername, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`JWKS fetch failed: ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as JSONWebKeySet);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("JWKS fetch timed out")));
    req.on("error", reject);
  });
}

export function createRemoteJwks(options: RemoteJwksOptions): JWTVerifyGetKey {
  const agent = options.tls
    ? new https.Agent({
        cert: readFileSync(options.tls.certFile),
        key: readFileSync(options.tls.keyFile),
        ca: readFileSync(options.tls.caFile),
        keepAlive: true,
      })
    : undefined;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  let keySet: JWTVerifyGetKey | undefined;
  let kids = new Set<string>();
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;

  const refresh = () => {
    inflight ??= fetchJson(options.url, agent, options.tls?.servername)
      .then((jwks) => {
        keySet = createLocalJWKSet(jwks);
        kids = new Set(jwks.keys.map((k) => k.kid ?? ""));
        fetchedAt = Date.now();
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return async (header, token) => {
    const age = Date.now() - fetchedAt;
    const unknownKid = header.kid !== undefined && !kids.has(header.kid);
    if (!keySet || age > maxAgeMs || (unknownKid && age > cooldownMs)) await refresh();
    if (!keySet) throw new Error("no JWKS");
    return keySet(header, token);
  };
}
