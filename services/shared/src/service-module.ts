// What a service is, independent of how it is hosted: its Connect services, a few plain HTTP endpoints,
// readiness, and background work (outbox relay, event consumers). `serveService` hosts one on its own ports
// (production, the stack); the embedded gateway of `npm start` hosts all three in one process.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { ConnectRouter } from "@connectrpc/connect";

export type HttpHandler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

export interface ServiceModule {
  name: string;
  /** Registers the service's Connect implementations. */
  register(router: ConnectRouter): void;
  /** Plain HTTP GET endpoints served beside the RPCs (e.g. the JWKS that Envoy fetches). */
  httpRoutes?: Record<string, HttpHandler>;
  /** Throws when a dependency (database, broker) is unreachable. */
  checkReady(): Promise<void>;
  /** Starts background work. */
  start(): Promise<void>;
  /** Stops background work and closes connections. */
  stop(): Promise<void>;
  /** Publishes one batch of the outbox now (a host that is stopping flushes it); the number published. */
  flushOutbox?(): Promise<number>;
}
