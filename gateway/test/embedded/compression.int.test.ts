// Compression in the embedded gateway: the web app's files and the API docs are compressed (brotli when the
// client takes it, gzip otherwise); API answers, which carry tokens, never are (BREACH), REST or Connect.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { PASSWORD, registerUser, restClient } from "../contract/rest-client.ts";
import { expectCompressedAsAccepted, largeScript, scriptPath } from "../support/compression.ts";
import { type EmbeddedPlatform, startTestPlatform } from "../support/test-platform.ts";

jest.setTimeout(120_000);

let platform: EmbeddedPlatform;
let webDist: string;

beforeAll(async () => {
  webDist = await mkdtemp(path.join(tmpdir(), "embedded-compression-"));
  await mkdir(path.join(webDist, "assets"));
  await writeFile(path.join(webDist, "index.html"), "<!doctype html><title>app</title>");
  await writeFile(path.join(webDist, scriptPath.slice(1)), largeScript);
  platform = await startTestPlatform({
    WEB_DIST: webDist,
    RATE_LIMIT_AUTH_REQUESTS: "1000",
  });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await rm(webDist, { recursive: true, force: true });
});

const get = (p: string, acceptEncoding: string) => fetch(platform.url + p, { headers: { "accept-encoding": acceptEncoding } });

test("the app's files and the docs are compressed: brotli when accepted, else gzip; the content is unchanged", async () => {
  await expectCompressedAsAccepted(platform.url, scriptPath, largeScript);
  const plain = await get(scriptPath, "identity");
  expect(Number(plain.headers.get("content-length"))).toBe(Buffer.byteLength(largeScript));

  const swagger = await get("/swagger/swagger-ui-bundle.js", "br");
  expect(swagger.status).toBe(200);
  expect(swagger.headers.get("content-encoding")).toBe("br");
  const openapi = await get("/openapi.json", "gzip");
  expect(openapi.headers.get("content-encoding")).toBe("gzip");
  expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\./);
});

test("answers that carry tokens are never compressed, REST or Connect", async () => {
  const api = restClient(platform.url);
  const user = await registerUser(api, "cmp", { verify: false });
  const rest = await fetch(`${platform.url}/api/auth/login/`, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "gzip, br" },
    body: JSON.stringify({ username: user.username, password: PASSWORD }),
  });
  expect(rest.status).toBe(200);
  expect(rest.headers.get("content-encoding")).toBeNull();
  expect((await rest.text()).length).toBeGreaterThan(1024); // large enough to have been compressed

  const connect = await fetch(`${platform.url}/identity.auth.v1.AuthService/Login`, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "gzip, br" },
    body: JSON.stringify({ username: user.username, password: PASSWORD }),
  });
  expect(connect.status).toBe(200);
  expect(connect.headers.get("content-encoding")).toBeNull();
});
