// Hosts one service on its own ports: the RPC port (HTTP/2 with HTTP/1.1 fallback; mutual TLS when
// configured) and the plain-HTTP ops port (/healthz, /readyz, /metrics).
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { Registry } from "prom-client";
import type { CommonConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { ServiceModule } from "../service-module.ts";
import { peerAllowed } from "./peer-san.ts";
import type { RequestHandler } from "./rpc-handler.ts";

export interface RunningService {
  rpcPort: number;
  opsPort: number;
  /**
   * Stops accepting connections and asks every open one to finish (HTTP/2 GOAWAY): requests in flight and
   * streams already opened complete; what is still open after `timeoutMs` (default 5 s) is cut.
   */
  close(timeoutMs?: number): Promise<void>;
}

export interface ServeOptions {
  module: ServiceModule;
  handler: RequestHandler;
  config: Pick<CommonConfig, "rpcPort" | "opsPort" | "tls">;
  logger: Logger;
  metrics?: Registry;
  host?: string;
  /** What /readyz answers from; by default the module's readiness. */
  checkReady?: () => Promise<void>;
}

function createRpcServer(handler: RequestHandler, tls: CommonConfig["tls"], logger: Logger) {
  if (!tls) return http2.createServer(handler);
  const server = http2.createSecureServer(
    {
      cert: readFileSync(tls.certFile),
      key: readFileSync(tls.keyFile),
      ca: readFileSync(tls.caFile),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      allowHTTP1: true,
    },
    handler,
  );
  server.on("secureConnection", (socket: TLSSocket) => {
    if (!peerAllowed(socket.getPeerCertificate(), tls.allowedPeerSans)) {
      logger.warn({ peer: socket.remoteAddress }, "mTLS peer refused: subject alternative name not allowed");
      socket.destroy();
    }
  });
  return server;
}

function createOpsServer(checkReady: () => Promise<void>, metrics: Registry | undefined) {
  return http.createServer((req, res) => {
    const send = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
    };
    switch (req.url?.split("?")[0]) {
      case "/healthz":
        return send(200, '{"status":"ok"}');
      case "/readyz":
        return void checkReady().then(
          () => send(200, '{"status":"ready"}'),
          () => send(503, '{"status":"unavailable"}'),
        );
      case "/metrics":
        if (metrics) return void metrics.metrics().then((text) => send(200, text, metrics.contentType));
        return send(404, '{"status":"not found"}');
      default:
        return send(404, '{"status":"not found"}');
    }
  });
}

function listen(server: http.Server | http2.Http2Server | http2.Http2SecureServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

type AnyServer = http.Server | http2.Http2Server | http2.Http2SecureServer;

/** The HTTP/2 sessions open on a server, so that closing can send each a GOAWAY. */
function trackSessions(server: AnyServer): Set<http2.ServerHttp2Session> {
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  return sessions;
}

function closeServer(server: AnyServer, sessions: Set<http2.ServerHttp2Session>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // close() only stops accepting: GOAWAY every HTTP/2 session (its open streams finish, then it ends),
    // end idle HTTP/1.1 keep-alive sockets, and cut whatever is still open after the timeout.
    for (const session of sessions) session.close();
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    setTimeout(() => {
      for (const session of sessions) session.destroy();
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, timeoutMs).unref();
  });
}

export async function serveService(options: ServeOptions): Promise<RunningService> {
  const host = options.host ?? "0.0.0.0";
  const rpc = createRpcServer(options.handler, options.config.tls, options.logger);
  const ops = createOpsServer(options.checkReady ?? (() => options.module.checkReady()), options.metrics);
  const rpcSessions = trackSessions(rpc);
  const rpcPort = await listen(rpc, options.config.rpcPort, host);
  const opsPort = await listen(ops, options.config.opsPort, host);
  options.logger.info({ rpcPort, opsPort, tls: Boolean(options.config.tls) }, "listening");
  return {
    rpcPort,
    opsPort,
    async close(timeoutMs = 5000) {
      await Promise.all([closeServer(rpc, rpcSessions, timeoutMs), closeServer(ops, new Set(), 1000)]);
    },
  };
}
