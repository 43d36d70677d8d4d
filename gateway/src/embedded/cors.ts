// CORS as Envoy's cors filter applies it (gateway/src/envoy/render.ts), with the edge plan's headers
// (edge-plan.ts): an allow-list of exact origins; a preflight from an allowed origin is answered here; an
// answer to an allowed origin names it and exposes the gRPC and rate-limit headers; any other origin gets no
// Access-Control-* header at all.
import type { IncomingMessage, ServerResponse } from "node:http";
import { cors } from "../edge-plan.ts";

export interface Cors {
  /** Adds the CORS headers of an ordinary answer. */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /** Answers a preflight from an allowed origin; false for anything else (which is then routed as usual). */
  answerPreflight(req: IncomingMessage, res: ServerResponse): boolean;
}

export const isPreflight = (req: IncomingMessage): boolean =>
  req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;

export function createCors(allowedOrigins: readonly string[]): Cors {
  const allowed = new Set(allowedOrigins);
  const allowedOrigin = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin !== undefined && allowed.has(origin) ? origin : undefined;
  };
  return {
    decorate(req, res) {
      const origin = allowedOrigin(req);
      if (!origin) return;
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("access-control-expose-headers", cors.exposeHeaders);
      res.setHeader("vary", "origin");
    },
    answerPreflight(req, res) {
      const origin = allowedOrigin(req);
      if (!origin || !isPreflight(req)) return false;
      res.writeHead(200, {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": cors.allowMethods,
        "access-control-allow-headers": cors.allowHeaders,
        "access-control-max-age": String(cors.maxAgeSeconds),
        vary: "origin",
        "content-length": "0",
      });
      res.end();
      return true;
    },
  };
}
