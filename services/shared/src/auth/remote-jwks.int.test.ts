// createRemoteJwks against a real HTTPS server that demands the platform's client certificate (as auth's ops
// port does): the keys are fetched over mutual TLS, a rotated-in key is picked up on its first token, and a
// client without the certificate gets no keys.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";
import { createRemoteJwks } from "./remote-jwks.ts";

const root = path.resolve(import.meta.dirname, "../../../..");
const certs = mkdtempSync(path.join(tmpdir(), "remote-jwks-"));
const published: JWK[] = [];
let fetches = 0;
let server: https.Server;
let url: string;

async function newKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  published.push({ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" });
  return (sub: string) => new SignJWT({}).setProtectedHeader({ alg: "ES256", kid }).setSubject(sub).sign(privateKey);
}

const tls = {
  certFile: path.join(certs, "profile.crt"),
  keyFile: path.join(certs, "profile.key"),
  caFile: path.join(certs, "ca.crt"),
  servername: "auth.identity.internal",
};

beforeAll(async () => {
  execFileSync("bash", [path.join(root, "gateway/certs/make-certs.sh")], { env: { ...process.env, CERTS_DIR: certs }, stdio: "ignore" });
  server = https.createServer(
    {
      cert: readFileSync(path.join(certs, "auth.crt")),
      key: readFileSync(path.join(certs, "auth.key")),
      ca: readFileSync(path.join(certs, "ca.crt")),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (_req, res) => {
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published }));
    },
  );
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(certs, { recursive: true, force: true });
});

test("keys come over mutual TLS, are cached, and a rotated-in kid is fetched on its first token", async () => {
  const signOld = await newKey("k1");
  const keys = createRemoteJwks({ url, tls, cooldownMs: 0 });
  expect((await jwtVerify(await signOld("alice"), keys)).payload.sub).toBe("alice");
  expect((await jwtVerify(await signOld("bob"), keys)).payload.sub).toBe("bob");
  expect(fetches).toBe(1);

  const signNew = await newKey("k2");
  expect((await jwtVerify(await signNew("carol"), keys)).payload.sub).toBe("carol");
  expect(fetches).toBe(2);
});

test("without the client certificate the server gives no keys", async () => {
  const signed = await (await newKey("k3"))("mallory");
  const keys = createRemoteJwks({ url: url.replace("127.0.0.1", "localhost") });
  await expect(jwtVerify(signed, keys)).rejects.toThrow();
});
