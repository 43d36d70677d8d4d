// A JWKS fetched over HTTP(S): jose's createRemoteJWKSet (cache, refetch on an unknown `kid` at most once per
// cooldown, timeout), with the platform's client certificate when mutual TLS is configured: node's fetch takes
// no client certificate, so a custom fetch goes through an https.Agent that holds it.
import { readFileSync } from "node:fs";
import https from "node:https";
import { createRemoteJWKSet, customFetch, type FetchImplementation, type JWTVerifyGetKey } from "jose";

export interface RemoteJwksOptions {
  url: string;
  tls?: { certFile: string; keyFile: string; caFile: string; servername?: string };
  cooldownMs?: number;
  maxAgeMs?: number;
}

function mutualTlsFetch(agent: https.Agent, servername: string | undefined): FetchImplementation {
  return (url, { headers, signal }) =>
    new Promise((resolve, reject) => {
      const req = https.get(url, { agent, servername, headers: Object.fromEntries(headers), signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502 })));
        res.on("error", reject);
      });
      req.on("error", reject);
    });
}

export function createRemoteJwks(options: RemoteJwksOptions): JWTVerifyGetKey {
  const tls = options.tls;
  const fetchWithCert = tls
    ? mutualTlsFetch(
        new https.Agent({
          cert: readFileSync(tls.certFile),
          key: readFileSync(tls.keyFile),
          ca: readFileSync(tls.caFile),
          keepAlive: true,
        }),
        tls.servername,
      )
    : undefined;
  return createRemoteJWKSet(new URL(options.url), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.maxAgeMs ?? 10 * 60_000,
    timeoutDuration: 5000,
    ...(fetchWithCert ? { [customFetch]: fetchWithCert } : {}),
  });
}
