// CORS as Envoy's cors filter applies it (gateway/src/envoy/render.ts): an allow-list of exact origins;
// a preflight from an allowed origin is answered here; an answer to an allowed origin names it and exposes
// the gRPC and rate-limit headers; any other origin gets no Access-Control-* header at all.
import type { IncomingMessage, ServerResponse } from "node:http";

export const allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
export const allowedHeaders =
  "authorization, content-type, connect-protocol-version, connect-timeout-ms, x-grpc-web, x-user-agent, grpc-timeout, x-request-id, idempotency-key";
export const exposedHeaders =
  "grpc-status, grpc-message, grpc-status-details-bin, x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset";
export const preflightMaxAgeSeconds = 600;

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
      res.setHeader("access-control-expose-headers", exposedHeaders);
      res.setHeader("vary", "origin");
    },
    answerPreflight(req, res) {
      const origin = allowedOrigin(req);
      if (!origin || !isPreflight(req)) return false;
      res.writeHead(200, {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": allowedMethods,
        "access-control-allow-headers": allowedHeaders,
        "access-control-max-age": String(preflightMaxAgeSeconds),
        vary: "origin",
        "content-length": "0",
      });
      res.end();
      return true;
    },
  };
}
