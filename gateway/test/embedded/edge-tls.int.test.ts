// The embedded gateway with GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE: HTTPS, HTTP/2 by ALPN, TLS 1.2+,
// HSTS, and plain HTTP redirected (Envoy's twin: gateway/test/envoy/edge-tls.int.test.ts).
import { mkdtempSync, rmSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { createDualProtocolServer } from "../../src/embedded/dual-protocol-server.ts";
import { clientOf } from "../../src/embedded/gateway-handler.ts";
import { expectEdgeTls, httpsGet, makeCertificate } from "../support/edge-tls.ts";
import { type EmbeddedPlatform, startTestPlatform } from "../support/test-platform.ts";

jest.setTimeout(120_000);

const dir = mkdtempSync(path.join(tmpdir(), "edge-tls-"));
const cert = makeCertificate(dir);
let platform: EmbeddedPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({
    GATEWAY_TLS_CERT_FILE: cert.certFile,
    GATEWAY_TLS_KEY_FILE: cert.keyFile,
  });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("HTTPS at the edge, plain HTTP redirected", async () => {
  expect(platform.url).toMatch(/^https:/);
  await expectEdgeTls(platform.port, cert);
});

test("over TLS the gateway still knows the client's address (for its rate limits and the services)", async () => {
  const server = createDualProtocolServer((req, res) => {
    res.end(clientOf(req, { hops: 0, cidrs: [] }));
  }, cert);
  const port = await server.listen(0, "127.0.0.1");
  try {
    expect((await httpsGet(port, "/", cert)).body).toBe("127.0.0.1");
    // HTTP/2 over TLS too (the compatibility API's socket is the session's).
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: cert.pem, servername: "localhost" });
    const body = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ":path": "/" });
      let text = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        text += chunk;
      });
      stream.on("end", () => resolve(text));
      stream.on("error", reject);
      stream.end();
    });
    session.close();
    expect(body).toBe("127.0.0.1");
  } finally {
    await server.close();
  }
});
