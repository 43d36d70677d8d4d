// Plain `GET /.well-known/jwks.json` on the RPC port, for Envoy's remote JWKS fetch and any other verifier.
// Cacheable for a few minutes: a new key is published well before it signs (see rotate-keys).
import type { HttpHandler } from "@identity/shared/service-module.ts";
import type { SigningKeyStore } from "../adapters/signing-key-store.ts";

export function jwksRoute(keys: SigningKeyStore, maxAgeSeconds: number): HttpHandler {
  return (_req, res) => {
    const body = JSON.stringify({ keys: keys.jwks() });
    const headers = { "content-type": "application/json", "cache-control": `public, max-age=${maxAgeSeconds}` };
    // One call shape for HTTP/1.1 and HTTP/2 responses.
    (res as import("node:http").ServerResponse).writeHead(200, headers).end(body);
  };
}
