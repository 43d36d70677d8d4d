// Compression at the edge, in the real Envoy: the web app's files and the docs are compressed (brotli when the
// client takes it, gzip otherwise); answers of the API, which carry tokens, never are (BREACH), even when large
// and asked for with Accept-Encoding.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { jest } from "@jest/globals";
import { expectCompressedAsAccepted, largeScript, scriptPath } from "../support/compression.ts";
import { freePort, type RunningEnvoy, startEnvoy, waitHealthy } from "./harness.ts";
import { type Stubs, startStubs } from "./stubs.ts";

jest.setTimeout(120_000);

const page = `<!doctype html><title>Docs</title>${"<p>The API, described.</p>".repeat(300)}`;
let stubs: Stubs;
let envoy: RunningEnvoy;
let web: http.Server;

beforeAll(async () => {
  stubs = await startStubs();
  web = http.createServer((req, res) => {
    const [type, body] = req.url?.startsWith("/assets/")
      ? ["text/javascript; charset=utf-8", largeScript]
      : ["text/html; charset=utf-8", page];
    res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) }).end(body);
  });
  const webPort = await freePort();
  await new Promise<void>((done) => web.listen(webPort, "127.0.0.1", done));
  envoy = await startEnvoy({ services: stubs.ports(), webPort: (web.address() as AddressInfo).port });
  await waitHealthy(envoy);
});
afterAll(async () => {
  await envoy?.stop();
  await stubs?.close();
  await new Promise((done) => web?.close(done));
});

test("the app's files and the docs are compressed: brotli when accepted, else gzip; the content is unchanged", async () => {
  await expectCompressedAsAccepted(envoy.url, scriptPath, largeScript);
  await expectCompressedAsAccepted(envoy.url, "/swagger/", page);
});

test("answers that carry tokens are never compressed, REST or Connect, however large", async () => {
  const username = "u".repeat(4000); // the stub echoes it next to the tokens: a body well above the threshold
  const rest = await fetch(`${envoy.url}/api/auth/register/`, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "gzip, br" },
    body: JSON.stringify({ username, email: "bob@example.com", password: "long enough" }),
  });
  expect(rest.status).toBe(201);
  expect(rest.headers.get("content-encoding")).toBeNull();
  expect(((await rest.json()) as { access: string }).access).toBe("a");

  const connect = await fetch(`${envoy.url}/identity.auth.v1.AuthService/Register`, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "gzip, br" },
    body: JSON.stringify({ username, email: "bob@example.com", password: "long enough" }),
  });
  expect(connect.status).toBe(200);
  expect(connect.headers.get("content-encoding")).toBeNull();
  expect(((await connect.json()) as { user: { username: string } }).user.username).toBe(username);
});
