// The rendered configuration running in the real Envoy, in front of stub services that speak the services'
// transport (gRPC/Connect over mutual TLS): REST transcoding with the DRF paths (trailing slash, path
// variables), statuses, unwrapped bodies, refusals of unknown fields, JWT, CORS, the edge's header hygiene,
// routes that must not exist, rate limiting, and Envoy's refusal of upstreams with the wrong certificate.
import { jest } from "@jest/globals";
import { type RunningEnvoy, startEnvoy } from "./harness.ts";
import { decidedFriendshipId } from "./stub-service.ts";
import { type EnvoyOnStubs, type Stubs, startEnvoyOnStubs } from "./stubs.ts";

jest.setTimeout(120_000);

const friendshipId = "0190b5a0-0000-7000-8000-00000000abcd";
let stubs: Stubs;
let envoy: RunningEnvoy;
let bearer: Record<string, string>;

let edge: EnvoyOnStubs;
beforeAll(async () => {
  edge = await startEnvoyOnStubs();
  ({ stubs, envoy, bearer } = edge);
});
afterAll(() => edge?.stop());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(envoy.url + path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const lastCall = (owner: "auth" | "profile" | "friendship") => stubs.byOwner[owner].calls.at(-1);

test("REST paths keep their trailing slash and reach the RPC, with the status the service asked for", async () => {
  const register = await call("POST", "/api/auth/register/", {
    username: "bob",
    email: "bob@example.com",
    password: "long enough",
    first_name: "Bob",
  });
  expect(register.status).toBe(201);
  expect(register.json).toMatchObject({ user: { username: "bob", email: "bob@example.com", email_verified: false }, access: "a" });
  expect(register.headers.get("x-http-status")).toBeNull();
  expect(register.headers.get("grpc-status")).toBeNull();
  expect(lastCall("auth")?.rpcPath).toBe("/identity.auth.v1.AuthService/Register");
  expect(lastCall("auth")?.request).toMatchObject({ firstName: "Bob" });

  expect((await call("POST", "/api/auth/otp/resend/", { email: "bob@example.com" })).status).toBe(202);
  expect((await call("POST", "/api/auth/register", { username: "bob" })).status).toBe(404);
});

test("path variables with a trailing slash transcode; response_body is unwrapped", async () => {
  const respond = await call("POST", `/api/friendships/respond/${friendshipId}/`, { action: "accept" }, bearer);
  expect(respond.status).toBe(200);
  expect(respond.json).toMatchObject({ id: friendshipId, status: "accepted" });
  expect(respond.json).not.toHaveProperty("friendship");
  expect(lastCall("friendship")?.request).toMatchObject({ id: friendshipId, action: "accept" });

  const remove = await call("DELETE", `/api/friendships/${friendshipId}/`, undefined, bearer);
  expect(remove.status).toBe(200);
  expect(lastCall("friendship")).toMatchObject({
    rpcPath: "/identity.friendship.v1.FriendshipService/DeleteFriendship",
    request: { id: friendshipId },
  });

  const request = await call("POST", "/api/friendships/request/", { addressee_id: friendshipId }, bearer);
  expect(request.status).toBe(201);
  expect(request.json).toMatchObject({ status: "requested" });

  const received = await call("GET", "/api/friendships/received/?page_size=5", undefined, bearer);
  expect(received.status).toBe(200);
  expect(received.json).toEqual({ friendships: [], next_page_token: "" });
});

test("FAILED_PRECONDITION answers 409 as the spec says (Envoy's own table says 400)", async () => {
  const conflict = await call("POST", `/api/friendships/respond/${decidedFriendshipId}/`, { action: "reject" }, bearer);
  expect(conflict.status).toBe(409);
  expect(conflict.json).toMatchObject({ code: 9 });
  expect(conflict.headers.get("grpc-status")).toBeNull();
});

test("unknown body fields and query parameters are refused with a google.rpc.Status", async () => {
  const before = stubs.byOwner.profile.calls.length;
  const put = await call("PUT", "/api/profiles/me/", { display_name: "x", is_staff: true }, bearer);
  expect(put.status).toBe(400);
  expect(put.json).toMatchObject({
    code: 3,
    details: expect.arrayContaining([
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "INVALID_REQUEST", domain: "identity-platform" },
      expect.objectContaining({
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        field_violations: [expect.objectContaining({ field: "is_staff" })],
      }),
    ]),
  });
  expect(stubs.byOwner.profile.calls.length).toBe(before);

  const path = await call("POST", `/api/friendships/respond/${friendshipId}/`, { action: "accept", id: "other" }, bearer);
  expect(path.status).toBe(400);

  const query = await call("GET", "/api/users/?serch=a", undefined, bearer);
  expect(query.status).toBe(400);
  expect(query.json).toMatchObject({ code: 3 });
});

test("user routes need a valid access token for this issuer and audience; public ones do not", async () => {
  const token = (claims: Record<string, unknown>) => ({ authorization: `Bearer ${stubs.signer.token(claims)}` });
  for (const headers of [
    {},
    token({ aud: ["someone-else"] }),
    token({ iss: "evil" }),
    token({ exp: 1000 }),
    { authorization: "Bearer not.a.jwt" },
  ]) {
    const res = await call("GET", "/api/profiles/me/", undefined, headers);
    expect([JSON.stringify(headers).slice(0, 40), res.status, res.json?.code]).toEqual([JSON.stringify(headers).slice(0, 40), 401, 16]);
  }
  // A token in the query string is not looked at.
  expect((await call("GET", `/api/profiles/me/?access_token=${stubs.signer.token()}`)).status).toBe(401);
  const ok = await call("GET", "/api/profiles/me/", undefined, bearer);
  expect(ok.status).toBe(200);
  expect(lastCall("profile")?.authorization).toBe(bearer.authorization);

  const grpcNoToken = await call(
    "POST",
    "/identity.friendship.v1.FriendshipService/ListFriendships",
    {},
    { "connect-protocol-version": "1" },
  );
  expect(grpcNoToken.status).toBe(401);
  expect(
    (await call("POST", "/identity.auth.v1.AuthService/Login", { username: "a", password: "b" }, { "connect-protocol-version": "1" }))
      .status,
  ).toBe(200);
  expect((await call("GET", "/.well-known/jwks.json")).status).toBe(200);
});

test("Connect requests reach the service untranscoded, with a fresh request id and no trusted forwarding headers", async () => {
  const res = await call(
    "POST",
    "/identity.friendship.v1.FriendshipService/ListFriendships",
    { pageSize: 3 },
    {
      ...bearer,
      "connect-protocol-version": "1",
      "x-request-id": "client-chosen",
      "x-forwarded-for": "203.0.113.9",
      "x-envoy-retry-on": "5xx",
    },
  );
  expect(res.status).toBe(200);
  const seen = lastCall("friendship");
  expect(seen?.request).toMatchObject({ pageSize: 3 });
  expect(seen?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers.get("x-request-id")).toBe(seen?.requestId);
  // Only the address Envoy saw (whatever the sandbox's loopback looks like), never the client's claim.
  expect(seen?.forwardedFor).not.toContain("203.0.113.9");
  expect(seen?.forwardedFor?.split(",")).toHaveLength(1);
  // x-envoy-* from outside never reaches a service; Envoy's own x-envoy-external-address may.
  expect(seen?.envoyHeaders).not.toContain("x-envoy-retry-on");
  expect(seen?.envoyHeaders.filter((h) => h !== "x-envoy-external-address")).toEqual([]);
});

test("internal services, gRPC health and unknown API paths do not exist from outside", async () => {
  for (const path of [
    "/identity.profile.v1.UserLookupService/BatchGetUsers",
    "/identity.friendship.v1.FriendGraphService/CheckFriendship",
    "/grpc.health.v1.Health/Check",
    "/api/nothing-here/",
  ]) {
    const res = await call("POST", path, {}, bearer);
    expect([path, res.status, res.json]).toEqual([path, 404, { code: 5, message: "Not found.", details: [] }]);
  }
});

test("CORS: preflights from allowed origins are answered, others get no CORS headers", async () => {
  const preflight = (origin: string) =>
    fetch(`${envoy.url}/api/auth/login/`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
    });
  const allowed = await preflight("http://localhost:3000");
  expect(allowed.status).toBe(200);
  expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  const refused = await preflight("https://evil.example");
  expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  const real = await call(
    "POST",
    "/identity.auth.v1.AuthService/Login",
    {},
    { origin: "http://localhost:3000", "connect-protocol-version": "1" },
  );
  expect(real.headers.get("access-control-expose-headers")).toContain("grpc-status");
});

test("edge hygiene: headers with underscores and escaped slashes are refused; health endpoints answer", async () => {
  expect((await call("GET", "/api/profiles/me/", undefined, { ...bearer, x_user: "1" })).status).toBe(400);
  expect((await call("GET", "/api/friendships/abc%2Fdef/", undefined, bearer)).status).toBe(400);
  expect((await fetch(`${envoy.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${envoy.url}/readyz`)).status).toBe(200);
});

test("rate limits are per client, with x-ratelimit headers, retry-after and 429", async () => {
  const limited = await startEnvoy({
    services: stubs.ports(),
    overrides: { rateLimits: { auth: { requests: 3, periodSeconds: 60 }, default: { requests: 1000, periodSeconds: 60 } } },
  });
  try {
    const login = () =>
      fetch(`${limited.url}/api/auth/login/`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await login();
      statuses.push(last.status);
      await last.text();
    }
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last?.headers.get("retry-after")).toBe("60");
    expect(last?.headers.get("x-ratelimit-limit")).toBe("3");
    expect(last?.headers.get("x-ratelimit-remaining")).toBe("0");
    // Another route's bucket is untouched.
    expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
  } finally {
    await limited.stop();
  }
});
