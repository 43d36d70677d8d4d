// HTTP/1.1 and cleartext HTTP/2 (h2c, with prior knowledge: what gRPC clients speak) on one port. Node's
// HTTP/2 server offers HTTP/1.1 fallback only with TLS, so each connection is looked at first: an HTTP/2
// connection starts with the preface `PRI * HTTP/2.0`, which no HTTP/1 request line does.
// With edge TLS (GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE) the port serves HTTPS instead (TLS 1.2+,
// HTTP/2 or HTTP/1.1 by ALPN), and a plain-HTTP connection (its first byte is not a TLS handshake record's)
// gets a permanent redirect to the same URL over https, as Envoy's listener does.
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";
import { Duplex } from "node:stream";
import { createDrain, sleep } from "@identity/shared/server/drain.ts";

export type DualHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface DualProtocolServer {
  listen(port: number, host: string): Promise<number>;
  /**
   * Stops accepting connections; requests in flight get up to `timeoutMs` to finish (HTTP/2 sessions a
   * GOAWAY, HTTP/1.1 answers `Connection: close`), then every connection is cut.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * The HTTP/2 session reads from the socket's native handle, past anything unshifted in JS: it gets a stream
 * that replays the bytes already read, then the socket's, and that answers for the peer's address.
 */
function replaying(socket: net.Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  stream.push(first);
  socket.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on("end", () => stream.push(null));
  socket.on("close", () => stream.destroy());
  socket.on("error", (err) => stream.destroy(err));
  Object.defineProperties(stream, {
    remoteAddress: { get: () => socket.remoteAddress },
    remotePort: { get: () => socket.remotePort },
    remoteFamily: { get: () => socket.remoteFamily },
    localAddress: { get: () => socket.localAddress },
    localPort: { get: () => socket.localPort },
  });
  return stream;
}

/**
 * The TCP peer of a request's socket. A TLS socket layered on the replaying stream has no handle of its own
 * to ask, so the peer is read from the stream it wraps (Node keeps it as the handle's parent wrap).
 */
export function peerAddressOf(socket: net.Socket): string {
  if (socket.remoteAddress) return socket.remoteAddress;
  const wrapped = (socket as { _handle?: { _parentWrap?: { stream?: { remoteAddress?: string } } } })._handle?._parentWrap?.stream;
  return wrapped?.remoteAddress ?? "";
}

/** The first byte of a TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16;

const redirectToHttps: DualHandler = (req, res) => {
  const host = (req.headers.host ?? "").replace(/[^\w.:[\]-]/g, "");
  res.writeHead(308, { location: `https://${host}${req.url ?? "/"}`, "content-length": "0", connection: "close" }).end();
};

export function createDualProtocolServer(handler: DualHandler, tls?: { certFile: string; keyFile: string }): DualProtocolServer {
  const drain = createDrain();
  const tracked = drain.track(handler);
  const h1 = http.createServer(
    { requestTimeout: 60_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    tls ? redirectToHttps : tracked,
  );
  const h2 = http2.createServer({}, tracked as never);
  const secure = tls
    ? http2.createSecureServer(
        { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), allowHTTP1: true, minVersion: "TLSv1.2" },
        tracked as never,
      )
    : undefined;
  const sessions = new Set<http2.ServerHttp2Session>();
  for (const server of secure ? [h2, secure] : [h2]) {
    server.on("session", (session: http2.ServerHttp2Session) => {
      sessions.add(session);
      session.once("close", () => sessions.delete(session));
    });
  }
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (first: Buffer) => {
      if (secure && first[0] === TLS_HANDSHAKE) {
        secure.emit("connection", replaying(socket, first));
        return;
      }
      if (!secure && first.subarray(0, 3).toString("latin1") === "PRI") {
        h2.emit("connection", replaying(socket, first));
        return;
      }
      socket.pause();
      socket.unshift(first);
      h1.emit("connection", socket);
      socket.resume();
    });
  });
  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close(timeoutMs = 0) {
      drain.begin();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Until every connection has ended or the time is up: idle keep-alive connections are closed, busy ones
      // end after their answer (Connection: close, GOAWAY); a connection accepted just before the close
      // still has its first request served.
      const deadline = Date.now() + timeoutMs;
      while (sockets.size > 0 && Date.now() < deadline) {
        h1.closeIdleConnections();
        for (const session of sessions) session.close();
        await sleep(25);
      }
      h1.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
