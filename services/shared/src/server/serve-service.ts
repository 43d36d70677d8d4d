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
  close(): Promise<void>;
}

export interface ServeOptions {
  module: ServiceModule;
  handler: RequestHandler;
  config: Pick<CommonConfig, "rpcPort" | "opsPort" | "tls">;
  logger: Logger;
  metrics?: Registry;
  host?: string;
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

function createOpsServer(module: ServiceModule, metrics: Registry | undefined) {
  return http.createServer((req, res) => {
    const send = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
    };
    switch (req.url?.split("?")[0]) {
      case "/healthz":
        return send(200, '{"status":"ok"}');
      case "/readyz":
        return void module.checkReady().then(
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

function closeServer(server: http.Server | http2.Http2Server | http2.Http2SecureServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // HTTP/2 sessions and keep-alive sockets would hold close() open: give them a moment, then end them.
    setTimeout(() => ("closeAllConnections" in server ? server.closeAllConnections() : undefined), 5000).unref();
  });
}

export async function serveService(options: ServeOptions): Promise<RunningService> {
  const host = options.host ?? "0.0.0.0";
  const rpc = createRpcServer(options.handler, options.config.tls, options.logger);
  const ops = createOpsServer(options.module, options.metrics);
  const rpcPort = await listen(rpc, options.config.rpcPort, host);
  const opsPort = await listen(ops, options.config.opsPort, host);
  options.logger.info({ rpcPort, opsPort, tls: Boolean(options.config.tls) }, "listening");
  return {
    rpcPort,
    opsPort,
    async close() {
      await Promise.all([closeServer(rpc), closeServer(ops)]);
    },
  };
}
