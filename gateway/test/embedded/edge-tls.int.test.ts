// The embedded gateway with GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE: HTTPS, HTTP/2 by ALPN, TLS 1.2+,
// HSTS, and plain HTTP redirected (Envoy's twin: gateway/test/envoy/edge-tls.int.test.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { silentLogger } from "@identity/shared/logger.ts";
import { jest } from "@jest/globals";
import { embeddedOptionsFromEnv } from "../../src/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "../../src/embedded/platform.ts";
import { expectEdgeTls, makeCertificate } from "../support/edge-tls.ts";

jest.setTimeout(120_000);

const dir = mkdtempSync(path.join(tmpdir(), "edge-tls-"));
const cert = makeCertificate(dir);
let platform: EmbeddedPlatform;

beforeAll(async () => {
  const env = {
    ...process.env,
    ENVIRONMENT: "dev",
    EMBEDDED_DATA_DIR: ":memory:",
    GATEWAY_LISTEN: "127.0.0.1:0",
    GATEWAY_TLS_CERT_FILE: cert.certFile,
    GATEWAY_TLS_KEY_FILE: cert.keyFile,
  };
  platform = await startEmbeddedPlatform(embeddedOptionsFromEnv(env), { env, logger: () => silentLogger() });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("HTTPS at the edge, plain HTTP redirected", async () => {
  expect(platform.url).toMatch(/^https:/);
  await expectEdgeTls(platform.port, cert);
});
