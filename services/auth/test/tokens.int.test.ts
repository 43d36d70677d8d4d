import http2 from "node:http2";
import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { createAccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { failure, latestCode, registerUser, STRONG_PASSWORD, useAuth } from "./support.ts";

const harness = useAuth();

const auth = () => harness.client(AuthService);
/** What another service (e.g. the profile service) does with a bearer token: the shared verifier. */
const profileLikeVerifier = () =>
  createAccessTokenVerifier({ keys: harness.module.keys, issuer: "identity-platform", audiences: ["react-frontend"] });

async function loggedIn() {
  const account = await registerUser(harness);
  const pair = await auth().login({ username: account.username, password: STRONG_PASSWORD });
  return { ...account, ...pair };
}

test("tokens are ES256 JWS with kid and typ, and carry the SimpleJWT-compatible claims", async () => {
  const { access, refresh, user, username } = await loggedIn();
  const kids = harness.module.keyStore.jwks().map((k) => k.kid);
  expect(decodeProtectedHeader(access)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
  expect(decodeProtectedHeader(refresh)).toMatchObject({ alg: "ES256", typ: "refresh+jwt" });
  expect(kids).toContain(decodeProtectedHeader(access).kid);
  const a = decodeJwt(access);
  const r = decodeJwt(refresh);
  expect(a).toMatchObject({
    iss: "identity-platform",
    sub: user!.id,
    aud: "react-frontend",
    token_type: "access",
    username,
    email_verified: false,
  });
  expect(r).toMatchObject({ iss: "identity-platform", sub: user!.id, aud: "react-frontend", token_type: "refresh", username });
  for (const claims of [a, r]) for (const name of ["exp", "iat", "nbf", "jti"]) expect(claims[name]).toBeDefined();
  expect(a.exp! - a.iat!).toBe(300);
  expect(r.exp! - r.iat!).toBe(86400);
  expect(a.jti).not.toBe(r.jti);
});

test("the shared verifier accepts the access token and refuses the refresh token", async () => {
  const { access, refresh, user } = await loggedIn();
  await expect(profileLikeVerifier().verify(access)).resolves.toMatchObject({ userId: user!.id, emailVerified: false });
  await expect(profileLikeVerifier().verify(refresh)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
});

test("an access token is refused where a refresh token is expected: 401 TOKEN_NOT_VALID", async () => {
  const { access } = await loggedIn();
  const err = await failure(auth().refreshToken({ refresh: access }));
  expect(err).toMatchObject({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID", message: "Token is invalid or expired" });
  expect(await failure(auth().logout({ refresh: access }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
});

test("garbage and tampered tokens are 401 TOKEN_NOT_VALID", async () => {
  const { refresh } = await loggedIn();
  expect(await failure(auth().refreshToken({ refresh: "not.a.token" }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  const [h, p, s] = refresh.split(".");
  const forged = Buffer.from(JSON.stringify({ ...decodeJwt(refresh), sub: "00000000-0000-7000-8000-000000000000" })).toString("base64url");
  expect(await failure(auth().refreshToken({ refresh: `${h}.${forged}.${s}` }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(p).toBeDefined();
});

test("refresh rotates: 200 {access, refresh}; the presented token is spent", async () => {
  const { refresh, user } = await loggedIn();
  const next = await auth().refreshToken({ refresh });
  expect(decodeJwt(next.access).sub).toBe(user!.id);
  expect(decodeJwt(next.refresh).jti).not.toBe(decodeJwt(refresh).jti);
  await expect(profileLikeVerifier().verify(next.access)).resolves.toMatchObject({ userId: user!.id });
  await expect(auth().refreshToken({ refresh: next.refresh })).resolves.toHaveProperty("access");
});

test("10 parallel refreshes of one token: exactly one 200, the rest 401", async () => {
  const { refresh } = await loggedIn();
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => auth().refreshToken({ refresh })));
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  for (const r of results.filter((r) => r.status === "rejected")) {
    expect(await failure(Promise.reject((r as PromiseRejectedResult).reason))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "TOKEN_NOT_VALID",
    });
  }
});

test("replaying a rotated refresh token is 401 and revokes the session: its successor dies too", async () => {
  const { refresh } = await loggedIn();
  const successor = await auth().refreshToken({ refresh });
  expect(await failure(auth().refreshToken({ refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(await failure(auth().refreshToken({ refresh: successor.refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
});

test("a replay kills only its own session, not the user's other logins", async () => {
  const { refresh, username } = await loggedIn();
  const other = await auth().login({ username, password: STRONG_PASSWORD });
  await auth().refreshToken({ refresh });
  await failure(auth().refreshToken({ refresh }));
  await expect(auth().refreshToken({ refresh: other.refresh })).resolves.toHaveProperty("access");
});

test("logout answers 200 {} and revokes the session; a second logout is 401", async () => {
  const { refresh } = await loggedIn();
  const successor = await auth().refreshToken({ refresh });
  await expect(auth().logout({ refresh: successor.refresh })).resolves.toEqual(expect.objectContaining({}));
  expect(await failure(auth().refreshToken({ refresh: successor.refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(await failure(auth().logout({ refresh: successor.refresh }))).toMatchObject({
    code: Code.Unauthenticated,
    reason: "TOKEN_NOT_VALID",
  });
});

test("after verification, a refreshed access token says email_verified", async () => {
  const { refresh, email, access } = await loggedIn();
  await harness.client(AuthService, access).verifyEmail({ email, code: await latestCode(harness, email) });
  const next = await auth().refreshToken({ refresh });
  expect(decodeJwt(next.access).email_verified).toBe(true);
});

test("GetJwks and GET /.well-known/jwks.json publish the EC P-256 public keys (current and next), cacheable", async () => {
  const { keys } = await auth().getJwks({});
  expect(keys.length).toBeGreaterThanOrEqual(2);
  for (const k of keys) expect(k).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
  for (const k of keys) expect(k.kid && k.x && k.y).toBeTruthy();

  const session = http2.connect(harness.baseUrl);
  const { status, cacheControl, body } = await new Promise<{ status: number; cacheControl: string; body: string }>((resolve, reject) => {
    const req = session.request({ ":path": "/.well-known/jwks.json", ":method": "GET" });
    let status = 0;
    let cacheControl = "";
    const chunks: Buffer[] = [];
    req.on("response", (h) => {
      status = Number(h[":status"]);
      cacheControl = String(h["cache-control"]);
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve({ status, cacheControl, body: Buffer.concat(chunks).toString("utf8") }));
    req.on("error", reject);
    req.end();
  });
  session.close();
  expect(status).toBe(200);
  expect(cacheControl).toMatch(/max-age=\d+/);
  const jwks = JSON.parse(body) as { keys: Array<Record<string, string>> };
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
  expect(jwks.keys.every((k) => !("d" in k))).toBe(true);
});
