// A raw TLS connection to a service's RPC port that sends the HTTP/2 client preface and reports what came
// back: the TLS error, and how many bytes of application data (an HTTP/2 server always answers the preface
// with its SETTINGS frame, so 0 bytes means the service never spoke).
import tls from "node:tls";
import { type ClientCert, platformCa } from "./certificates.ts";

export interface ProbeResult {
  handshakeCompleted: boolean;
  applicationBytes: number;
  /** The error's code (e.g. ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, ECONNRESET), if any. */
  errorCode?: string;
  /** How it ended: the peer closed it, or we closed it after hearing from the service. */
  ending: "closed by the service" | "answered" | "silent until timeout";
}

const HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

export function probeTls(port: number, serverName: string, client: ClientCert | undefined, timeoutMs = 3000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let handshakeCompleted = false;
    let applicationBytes = 0;
    let errorCode: string | undefined;
    let settled = false;
    const socket = tls.connect(
      { host: "127.0.0.1", port, servername: serverName, ca: platformCa(), ALPNProtocols: ["h2"], ...client },
      () => {
        handshakeCompleted = true;
        socket.write(HTTP2_PREFACE);
      },
    );
    const finish = (ending: ProbeResult["ending"]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ handshakeCompleted, applicationBytes, errorCode, ending });
    };
    const timer = setTimeout(() => finish("silent until timeout"), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      applicationBytes += chunk.length;
      finish("answered");
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      errorCode ??= error.code ?? error.message;
    });
    socket.on("close", () => finish("closed by the service"));
  });
}
