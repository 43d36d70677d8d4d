// Compression in the embedded gateway: the web app's files and the API docs are compressed (brotli when the
// client takes it, gzip otherwise); API answers, which carry tokens, never are (BREACH), REST or Connect.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { silentLogger } from "@identity/shared/logger.ts";
import { jest } from "@jest/globals";
import { embeddedOptionsFromEnv } from "../../src/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "../../src/embedded/platform.ts";
import { PASSWORD, registerUser, restClient } from "../contract/rest-client.ts";

jest.setTimeout(120_000);

const script = `export const words = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `word${i % 50}`))};\n`;
let platform: EmbeddedPlatform;
let webDist: string;

beforeAll(async () => {
  webDist = await mkdtemp(path.join(tmpdir(), "embedded-compression-"));
  await mkdir(path.join(webDist, "assets"));
  await writeFile(path.join(webDist, "index.html"), "<!doctype html><title>app</title>");
  await writeFile(path.join(webDist, "assets/app-3f9a1c2b.js"), script);
  const env = {
    ...process.env,
    ENVIRONMENT: "dev",
    EMBEDDED_DATA_DIR: ":memory:",
    GATEWAY_LISTEN: "127.0.0.1:0",
    WEB_DIST: webDist,
    RATE_LIMIT_AUTH_REQUESTS: "1000",
  };
  platform = await startEmbeddedPlatform(embeddedOptionsFromEnv(env), { env, logger: () => silentLogger() });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await rm(webDist, { recursive: true, force: true });
});

const get = (p: string, acceptEncoding: string) => fetch(platform.url + p, { headers: { "accept-encoding": acceptEncoding } });

test("the app's files and the docs are compressed: brotli when accepted, else gzip; the content is unchanged", async () => {
  const br = await get("/assets/app-3f9a1c2b.js", "gzip, deflate, br");
  expect(br.headers.get("content-encoding")).toBe("br");
  expect(br.headers.get("vary")).toMatch(/accept-encoding/i);
  expect(await br.text()).toBe(script);

  const gzip = await get("/assets/app-3f9a1c2b.js", "gzip");
  expect(gzip.headers.get("content-encoding")).toBe("gzip");
  expect(await gzip.text()).toBe(script);

  const plain = await get("/assets/app-3f9a1c2b.js", "identity");
  expect(plain.headers.get("content-encoding")).toBeNull();
  expect(Number(plain.headers.get("content-length"))).toBe(Buffer.byteLength(script));

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
