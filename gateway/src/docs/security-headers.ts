// Headers every answer of the platform's HTTP entry points carries (the embedded gateway, the static web
// server behind Envoy, and Envoy itself for its own and the services' answers: render.ts adds the same
// values where they are absent). Two Content-Security-Policies:
// - the web app's (and every other answer's): scripts, styles, fonts and API calls from this origin only
//   (`script-src 'self'`: no inline script, no third party), images also from https (avatars are https
//   URLs) and data: URIs;
// - the API docs': Swagger UI and ReDoc inject their own <style> elements and ReDoc runs a blob: worker, so
//   styles allow 'unsafe-inline' and workers blob:. Scripts are still 'self' only: the two pages have no
//   inline script (docs-site.ts).
// Both forbid framing (clickjacking), plugins, and a <base> or form target elsewhere.
import type { ServerResponse } from "node:http";
import { isDocsPath } from "./docs-paths.ts";

const common = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export const appContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  common,
].join("; ");

export const docsContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  common,
].join("; ");

export const securityHeaders: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "content-security-policy": appContentSecurityPolicy,
};

/** HSTS, sent only on answers over TLS (a browser ignores it over plain HTTP, and it must not pin localhost). */
export const strictTransportSecurity = "max-age=31536000; includeSubDomains";

export function securityHeadersFor(urlPath: string): Record<string, string> {
  return isDocsPath(urlPath) ? { ...securityHeaders, "content-security-policy": docsContentSecurityPolicy } : { ...securityHeaders };
}

export function setSecurityHeaders(res: ServerResponse, urlPath = "/", overTls = false): void {
  for (const [name, value] of Object.entries(securityHeadersFor(urlPath))) res.setHeader(name, value);
  if (overTls) res.setHeader("strict-transport-security", strictTransportSecurity);
}
