// Envoy with GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE (edgeTls): HTTPS, HTTP/2 by ALPN, TLS 1.2+, HSTS,
// and plain HTTP on the same port redirected (the TLS inspector picks the filter chain).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { expectEdgeTls, makeCertificate } from "../support/edge-tls.ts";
import { type RunningEnvoy, startEnvoy } from "./harness.ts";
import { type Stubs, startStubs } from "./stubs.ts";

jest.setTimeout(120_000);

const dir = mkdtempSync(path.join(tmpdir(), "edge-tls-"));
const cert = makeCertificate(dir);
let stubs: Stubs;
let envoy: RunningEnvoy;

beforeAll(async () => {
  stubs = await startStubs();
  envoy = await startEnvoy({ services: stubs.ports(), overrides: { edgeTls: { certFile: cert.certFile, keyFile: cert.keyFile } } });
});
afterAll(async () => {
  await envoy?.stop();
  await stubs?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("HTTPS at the edge, plain HTTP redirected", async () => {
  await expectEdgeTls(envoy.options.listen.port, cert);
});
