// TLS at the edge, checked the same way for both gateways: a certificate generated for the test, HTTPS with
// TLS 1.2+ and HTTP/2 by ALPN, HSTS on the answers, plain HTTP on the same port redirected to https.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import tls from "node:tls";

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  pem: string;
}

/** A self-signed certificate for localhost and 127.0.0.1, made with openssl in `dir`. */
export function makeCertificate(dir: string): TestCertificate {
  const certFile = path.join(dir, "edge.crt");
  const keyFile = path.join(dir, "edge.key");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "ignore" },
  );
  return { certFile, keyFile, pem: readFileSync(certFile, "utf8") };
}

export function handshake(port: number, cert: TestCertificate, options: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca: cert.pem, servername: "localhost", ...options }, () => resolve(socket));
    socket.once("error", reject);
  });
}

export function httpsGet(port: number, urlPath: string, cert: TestCertificate) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = https.get({ host: "127.0.0.1", port, path: urlPath, ca: cert.pem, servername: "localhost" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

export function plainGet(port: number, urlPath: string) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, headers: { host: `localhost:${port}` } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on("error", reject);
  });
}

/** Every check of the spec's "TLS at the edge" against a gateway listening on `port`. */
export async function expectEdgeTls(port: number, cert: TestCertificate): Promise<void> {
  const h2 = await handshake(port, cert, { ALPNProtocols: ["h2", "http/1.1"] });
  expect(h2.alpnProtocol).toBe("h2");
  expect(["TLSv1.2", "TLSv1.3"]).toContain(h2.getProtocol());
  h2.destroy();
  await expect(handshake(port, cert, { minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" })).rejects.toThrow();

  const health = await httpsGet(port, "/healthz", cert);
  expect(health.status).toBe(200);
  expect(health.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
  const api = await httpsGet(port, "/api/nothing/", cert);
  expect(api.status).toBe(404);
  expect(api.headers["strict-transport-security"]).toMatch(/max-age=\d+/);

  const redirect = await plainGet(port, "/api/users/?search=ada");
  expect([301, 308]).toContain(redirect.status);
  expect(redirect.location).toBe(`https://localhost:${port}/api/users/?search=ada`);
}
