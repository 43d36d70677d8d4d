// Headers every answer of the platform's HTTP entry points carries (the embedded gateway, the static web
// server behind Envoy). No script policy beyond framing: Swagger UI and ReDoc need inline styles and
// workers, and the web app is ours.
import type { ServerResponse } from "node:http";

export const securityHeaders: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "content-security-policy": "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
}
