// Graceful shutdown of a server that sits behind a load balancer (Envoy, a Kubernetes Service). On SIGTERM:
// 1. readiness and the gRPC health check fail at once, so the balancer stops choosing this replica;
// 2. requests keep being served for a grace period (the balancer needs a health-check round to notice);
// 3. the listeners close: HTTP/2 connections get a GOAWAY and HTTP/1.1 ones `Connection: close`, requests in
//    flight (and streams the client had already opened) finish, bounded by a timeout;
// 4. only then the background work stops and the pools close (the host's job).
import type { IncomingMessage, ServerResponse } from "node:http";
import type http2 from "node:http2";

export interface DrainSettings {
  /** How long requests are still served after readiness fails (DRAIN_GRACE_SECONDS). */
  graceMs: number;
  /** How long requests in flight may take to finish once the listeners are closed (DRAIN_TIMEOUT_SECONDS). */
  timeoutMs: number;
}

export type AnyRequest = IncomingMessage | http2.Http2ServerRequest;
export type AnyResponse = ServerResponse | http2.Http2ServerResponse;

export interface Drain {
  /** True once shutdown has begun. */
  readonly draining: boolean;
  /** Requests being served now. */
  readonly inFlight: number;
  /** Fails readiness from now on. */
  begin(): void;
  /** The same handler, counting its requests; while draining, HTTP/1.1 answers ask the client to reconnect. */
  track<Req extends AnyRequest, Res extends AnyResponse>(handler: (req: Req, res: Res) => void): (req: Req, res: Res) => void;
  /** Resolves true once no request is in flight, false when `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
}

export function createDrain(): Drain {
  let draining = false;
  let inFlight = 0;
  const waiters = new Set<() => void>();
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const wake of waiters) wake();
  };
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    begin() {
      draining = true;
    },
    track(handler) {
      return (req, res) => {
        inFlight += 1;
        res.once("close", done);
        if (draining && req.httpVersionMajor === 1 && !res.headersSent) (res as ServerResponse).setHeader("connection", "close");
        handler(req, res);
      };
    },
    idle(timeoutMs) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(false);
        }, timeoutMs);
        waiters.add(wake);
      });
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Readiness that fails while draining, whatever the dependencies say. */
export function drainAwareReadiness(drain: Pick<Drain, "draining">, checkReady: () => Promise<void>): () => Promise<void> {
  return async () => {
    if (drain.draining) throw new Error("draining: shutting down");
    await checkReady();
  };
}
