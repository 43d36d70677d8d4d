// The REST surface of the spec (docs: the product spec's rest-api.md), row by row, through a gateway:
// the embedded one started here, or the one at GATEWAY_URL (Envoy on the stack). What the suite expects of
// the gateway's configuration: ENVIRONMENT=dev (it reads codes from /api/dev/mail/), CORS_ALLOWED_ORIGINS
// containing http://localhost:3000 and not https://evil.example, RATE_LIMIT_AUTH_REQUESTS = the AuthService
// per-route limit the gateway enforces (default 60), and no other test hitting GET /.well-known/jwks.json
// from this machine within the rate-limit period.

import { Code } from "@connectrpc/connect";
import { jest } from "@jest/globals";
import { type GatewayUnderTest, startGatewayUnderTest } from "./gateway-under-test.ts";
import { type Answer, latestCode, PASSWORD, type RestClient, registerUser, restClient, type TestUser, uniqueName } from "./rest-client.ts";

jest.setTimeout(60_000);

let gateway: GatewayUnderTest;
let api: RestClient;

beforeAll(async () => {
  gateway = await startGatewayUnderTest();
  api = restClient(gateway.url);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
});

function reasonOf(answer: Answer): string | undefined {
  return answer.body?.details?.find((d: { "@type": string }) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")?.reason;
}

/** A google.rpc.Status answer: HTTP status, gRPC code, optionally the ErrorInfo reason. */
function expectError(answer: Answer, status: number, code: Code, reason?: string | string[]): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  expect(typeof answer.body.message).toBe("string");
  expect(Array.isArray(answer.body.details)).toBe(true);
  if (reason !== undefined) expect(Array.isArray(reason) ? reason : [reason]).toContain(reasonOf(answer));
  expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+|stack|SELECT |INSERT |127\.0\.0\.1:\d{4,5}/i);
  expect(answer.headers.get("x-http-status")).toBeNull();
}

const userKeys = ["date_joined", "email", "email_verified", "first_name", "id", "last_name", "username"];
const profileKeys = ["avatar_url", "bio", "created_at", "display_name", "first_name", "last_name", "updated_at", "user_id", "username"];
const summaryKeys = ["avatar_url", "display_name", "id", "username"];
const friendshipKeys = ["addressee", "created_at", "id", "requester", "status", "updated_at"];
const keys = (o: object) => Object.keys(o).sort();

describe("auth", () => {
  it("registers with 201 {user, access, refresh}, every user field present, and mails a 6-digit code", async () => {
    const username = uniqueName("reg");
    const email = `${username}@Example.com`;
    const res = await api.post("/api/auth/register/", { username, email, password: PASSWORD, firstName: "Ada" });
    expect(res.status).toBe(201);
    expect(keys(res.body)).toEqual(["access", "refresh", "user"]);
    expect(keys(res.body.user)).toEqual(userKeys);
    expect(res.body.user).toMatchObject({ username, email_verified: false, first_name: "Ada", last_name: "" });
    expect(res.body.user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(new Date(res.body.user.date_joined).toISOString()).toBe(
      res.body.user.date_joined.replace(/(\.\d{3})?Z$/, (m: string) => (m.length > 1 ? m : ".000Z")),
    );
    expect(await latestCode(api, email.toLowerCase())).toMatch(/^\d{6}$/);
  });

  it("refuses a duplicate username or email, case-insensitively, with 409", async () => {
    const first = await registerUser(api, "dup", { verify: false });
    const sameName = await api.post("/api/auth/register/", {
      username: first.username.toUpperCase(),
      email: `x${first.email}`,
      password: PASSWORD,
    });
    expectError(sameName, 409, Code.AlreadyExists);
    const sameEmail = await api.post("/api/auth/register/", {
      username: uniqueName("dupe"),
      email: first.email.toUpperCase(),
      password: PASSWORD,
    });
    expectError(sameEmail, 409, Code.AlreadyExists);
  });

  it("refuses a weak password, a malformed email and unknown fields with 400", async () => {
    const username = uniqueName("weak");
    expectError(
      await api.post("/api/auth/register/", { username, email: `${username}@example.com`, password: "password" }),
      400,
      Code.InvalidArgument,
    );
    const bad = await api.post("/api/auth/register/", { username, email: "not-an-email", password: PASSWORD });
    expectError(bad, 400, Code.InvalidArgument);
    expect(
      bad.body.details.some((d: { field_violations?: { field: string }[] }) => d.field_violations?.some((v) => v.field === "email")),
    ).toBe(true);
    expectError(
      await api.post("/api/auth/register/", { username, email: `${username}@example.com`, password: PASSWORD, is_staff: true }),
      400,
      Code.InvalidArgument,
    );
  });

  it("verifies the caller's email: no token 401, a wrong code 400 OTP_INVALID, the right one 200 with email_verified", async () => {
    const user = await registerUser(api, "otp", { verify: false });
    const code = await latestCode(api, user.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    expectError(await api.post("/api/auth/otp/verify/", { email: user.email, code }), 401, Code.Unauthenticated, "NOT_AUTHENTICATED");
    const token = { token: user.access };
    expectError(
      await api.post("/api/auth/otp/verify/", { email: user.email, code: wrong }, token),
      400,
      Code.InvalidArgument,
      "OTP_INVALID",
    );
    const ok = await api.post("/api/auth/otp/verify/", { code }, token);
    expect(ok.status).toBe(200);
    expect(keys(ok.body)).toEqual(["user"]);
    expect(ok.body.user.email_verified).toBe(true);
  });

  it("answers a resend with 202 {} whether or not the address exists", async () => {
    const user = await registerUser(api, "resend", { verify: false });
    const known = await api.post("/api/auth/otp/resend/", { email: user.email });
    const unknown = await api.post("/api/auth/otp/resend/", { email: `${uniqueName("nobody")}@example.com` });
    expect([known.status, known.body, unknown.status, unknown.body]).toEqual([202, {}, 202, {}]);
  });

  it("logs in by username or email; bad credentials are one 401 for unknown user and wrong password", async () => {
    const user = await registerUser(api, "login");
    for (const username of [user.username, user.email]) {
      const res = await api.post("/api/auth/login/", { username, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(["access", "refresh"]);
    }
    const wrong = await api.post("/api/auth/login/", { username: user.username, password: "not the password" });
    const unknown = await api.post("/api/auth/login/", { username: uniqueName("ghost"), password: "not the password" });
    expectError(wrong, 401, Code.Unauthenticated);
    expectError(unknown, 401, Code.Unauthenticated);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it("rotates refresh tokens; a spent one is 401 and revokes the session", async () => {
    const user = await registerUser(api, "rot");
    const first = await api.post("/api/auth/refresh/", { refresh: user.refresh });
    expect(first.status).toBe(200);
    expect(keys(first.body)).toEqual(["access", "refresh"]);
    expectError(await api.post("/api/auth/refresh/", { refresh: user.refresh }), 401, Code.Unauthenticated);
    expectError(await api.post("/api/auth/refresh/", { refresh: first.body.refresh }), 401, Code.Unauthenticated);
  });

  it("logs out with 200 {}: the refresh token is dead afterwards", async () => {
    const user = await registerUser(api, "out");
    const res = await api.post("/api/auth/logout/", { refresh: user.refresh });
    expect([res.status, res.body]).toEqual([200, {}]);
    expectError(await api.post("/api/auth/refresh/", { refresh: user.refresh }), 401, Code.Unauthenticated);
  });
});

describe("tokens at the edge", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(api, "tok");
  });

  it("answers 401 without a token", async () => {
    expectError(await api.get("/api/profiles/me/"), 401, Code.Unauthenticated, "NOT_AUTHENTICATED");
  });

  it("answers 401 to alg none, a tampered token, a refresh token as bearer and a malformed header", async () => {
    const [header, payload] = user.access.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`;
    const claims = JSON.parse(Buffer.from(payload as string, "base64url").toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "0190b5a0-0000-7000-8000-000000000001" })).toString("base64url")}.${user.access.split(".")[2]}`;
    for (const token of [none, tampered, user.refresh]) {
      expectError(await api.get("/api/profiles/me/", { token }), 401, Code.Unauthenticated, "TOKEN_NOT_VALID");
    }
    expectError(
      await api.get("/api/profiles/me/", { headers: { authorization: `Token ${user.access}` } }),
      401,
      Code.Unauthenticated,
      "TOKEN_NOT_VALID",
    );
  });

  it("ignores a token in the query string", async () => {
    for (const name of ["access_token", "token", "jwt"]) {
      expectError(await api.get(`/api/profiles/me/?${name}=${user.access}`), 401, Code.Unauthenticated);
    }
  });

  it("accepts the access token", async () => {
    expect((await api.get("/api/profiles/me/", { token: user.access })).status).toBe(200);
  });
});

describe("profiles and users", () => {
  let me: TestUser;
  beforeAll(async () => {
    me = await registerUser(api, "prof", { firstName: "Grace" });
  });

  it("has a profile as soon as register has answered, every field present", async () => {
    const res = await api.get("/api/profiles/me/", { token: me.access });
    expect(res.status).toBe(200);
    expect(keys(res.body)).toEqual(profileKeys);
    expect(res.body).toMatchObject({ user_id: me.id, username: me.username, first_name: "Grace", bio: "", avatar_url: "" });
  });

  it("replaces the editable fields with PUT; any other field is 400 and changes nothing", async () => {
    const put = await api.put(
      "/api/profiles/me/",
      { display_name: "Grace H", first_name: "Grace", last_name: "Hopper", bio: "COBOL", avatar_url: "https://example.com/g.png" },
      { token: me.access },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ display_name: "Grace H", last_name: "Hopper", bio: "COBOL", avatar_url: "https://example.com/g.png" });
    for (const extra of [{ user_id: "x" }, { username: "x" }, { email_verified: true }, { is_staff: true }]) {
      expectError(
        await api.put("/api/profiles/me/", { display_name: "Hacked", ...extra }, { token: me.access }),
        400,
        Code.InvalidArgument,
      );
    }
    expect((await api.get("/api/profiles/me/", { token: me.access })).body.display_name).toBe("Grace H");
  });

  it("updates a subset with PATCH, camelCase accepted", async () => {
    const res = await api.patch("/api/profiles/me/", { displayName: "Amazing Grace" }, { token: me.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ display_name: "Amazing Grace", bio: "COBOL" });
  });

  it("validates lengths and the avatar URL with BadRequest field violations", async () => {
    const long = await api.patch("/api/profiles/me/", { display_name: "x".repeat(51) }, { token: me.access });
    expectError(long, 400, Code.InvalidArgument);
    const violations = long.body.details.find(
      (d: { "@type": string }) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest",
    )?.field_violations;
    expect(violations?.[0]?.field).toBe("display_name");
    expectError(await api.patch("/api/profiles/me/", { bio: "x".repeat(501) }, { token: me.access }), 400, Code.InvalidArgument);
    expectError(
      await api.patch("/api/profiles/me/", { avatar_url: "http://example.com/a.png" }, { token: me.access }),
      400,
      Code.InvalidArgument,
    );
  });

  it("lists other users by word prefix, ordered by username, paginated by cursor", async () => {
    const tag = uniqueName("zq").toLowerCase();
    const others = [await registerUser(api, `${tag}b`), await registerUser(api, `${tag}a`), await registerUser(api, `${tag}c`)];
    const page1 = await api.get(`/api/users/?search=${tag}&page_size=2`, { token: me.access });
    expect(page1.status).toBe(200);
    expect(keys(page1.body)).toEqual(["next_page_token", "users"]);
    expect(keys(page1.body.users[0])).toEqual(summaryKeys);
    expect(page1.body.next_page_token).not.toBe("");
    const page2 = await api.get(`/api/users/?search=${tag}&pageSize=2&page_token=${encodeURIComponent(page1.body.next_page_token)}`, {
      token: me.access,
    });
    const names = [...page1.body.users, ...page2.body.users].map((u: { username: string }) => u.username);
    expect(names).toEqual(others.map((o) => o.username).sort());
    expect(page2.body.next_page_token).toBe("");
    const self = await api.get(`/api/users/?search=${me.username}`, { token: me.access });
    expect(self.body.users.map((u: { id: string }) => u.id)).not.toContain(me.id);
  });

  it("refuses page_size over 100, a malformed page_size and unknown query parameters with 400", async () => {
    expectError(await api.get("/api/users/?page_size=101", { token: me.access }), 400, Code.InvalidArgument);
    expectError(await api.get("/api/users/?page_size=ten", { token: me.access }), 400, Code.InvalidArgument);
    expectError(await api.get("/api/users/?ordering=username", { token: me.access }), 400, Code.InvalidArgument);
  });
});

describe("friendships", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  beforeAll(async () => {
    [alice, bob, carol] = [await registerUser(api, "alice"), await registerUser(api, "bob"), await registerUser(api, "carol")];
  });

  it("runs the whole flow: request 201, duplicate 409, received, respond, list, delete", async () => {
    const req = await api.post("/api/friendships/request/", { addressee_id: bob.id }, { token: alice.access });
    expect(req.status).toBe(201);
    expect(keys(req.body)).toEqual(friendshipKeys);
    expect(req.body.status).toBe("requested");
    expect(keys(req.body.requester)).toEqual(summaryKeys);
    expect([req.body.requester.id, req.body.addressee.id]).toEqual([alice.id, bob.id]);
    const id: string = req.body.id;

    expectError(await api.post("/api/friendships/request/", { addressee_id: bob.id }, { token: alice.access }), 409, Code.AlreadyExists);

    const received = await api.get("/api/friendships/received/", { token: bob.access });
    expect(received.status).toBe(200);
    expect(keys(received.body)).toEqual(["friendships", "next_page_token"]);
    expect(received.body.friendships.map((f: { id: string }) => f.id)).toContain(id);

    expectError(
      await api.post(`/api/friendships/respond/${id}/`, { action: "accept" }, { token: alice.access }),
      403,
      Code.PermissionDenied,
    );
    expectError(await api.post(`/api/friendships/respond/${id}/`, { action: "accept" }, { token: carol.access }), 404, Code.NotFound);

    const accepted = await api.post(`/api/friendships/respond/${id}/`, { action: "accept" }, { token: bob.access });
    expect([accepted.status, accepted.body.status]).toEqual([200, "accepted"]);
    const again = await api.post(`/api/friendships/respond/${id}/`, { action: "accept" }, { token: bob.access });
    expect([again.status, again.body.status]).toEqual([200, "accepted"]);
    expect((await api.post(`/api/friendships/respond/${id}/`, { action: "reject" }, { token: bob.access })).status).toBe(409);

    const list = await api.get("/api/friendships/?status=accepted", { token: alice.access });
    expect(list.status).toBe(200);
    expect(list.body.friendships.map((f: { id: string }) => f.id)).toContain(id);
    expect(
      (await api.get("/api/friendships/?status=requested", { token: alice.access })).body.friendships.map((f: { id: string }) => f.id),
    ).not.toContain(id);

    expectError(await api.delete(`/api/friendships/${id}/`, { token: carol.access }), 404, Code.NotFound);
    const deleted = await api.delete(`/api/friendships/${id}/`, { token: alice.access });
    expect([deleted.status, deleted.body]).toEqual([200, {}]);
    expect((await api.get("/api/friendships/", { token: alice.access })).body.friendships.map((f: { id: string }) => f.id)).not.toContain(
      id,
    );
  });

  it("accepts a crossing request instead: 200 accepted", async () => {
    const first = await api.post("/api/friendships/request/", { addressee_id: carol.id }, { token: bob.access });
    expect(first.status).toBe(201);
    const crossing = await api.post("/api/friendships/request/", { addressee_id: bob.id }, { token: carol.access });
    expect([crossing.status, crossing.body.status, crossing.body.id]).toEqual([200, "accepted", first.body.id]);
  });

  it("lets the requester ask again after a rejection", async () => {
    const first = await api.post("/api/friendships/request/", { addressee_id: alice.id }, { token: carol.access });
    const rejected = await api.post(`/api/friendships/respond/${first.body.id}/`, { action: "reject" }, { token: alice.access });
    expect([rejected.status, rejected.body.status]).toEqual([200, "rejected"]);
    expect((await api.post("/api/friendships/request/", { addressee_id: alice.id }, { token: carol.access })).status).toBe(201);
  });

  it("refuses a request to yourself (400), to an unknown user (404), and from an unverified email (403)", async () => {
    expectError(
      await api.post("/api/friendships/request/", { addressee_id: alice.id }, { token: alice.access }),
      400,
      Code.InvalidArgument,
    );
    expectError(
      await api.post("/api/friendships/request/", { addressee_id: "0190b5a0-0000-7000-8000-000000000001" }, { token: alice.access }),
      404,
      Code.NotFound,
    );
    const unverified = await registerUser(api, "unver", { verify: false });
    expectError(
      await api.post("/api/friendships/request/", { addressee_id: alice.id }, { token: unverified.access }),
      403,
      Code.PermissionDenied,
      "EMAIL_NOT_VERIFIED",
    );
  });

  it("refuses an action other than accept or reject with 400", async () => {
    const req = await api.post("/api/friendships/request/", { addressee_id: bob.id }, { token: alice.access });
    expectError(
      await api.post(`/api/friendships/respond/${req.body.id}/`, { action: "maybe" }, { token: bob.access }),
      400,
      Code.InvalidArgument,
    );
  });
});

describe("the surface itself", () => {
  it("answers 404 JSON to unknown API paths and a missing trailing slash, 405 with Allow to a wrong verb", async () => {
    expectError(await api.get("/api/nothing/here/"), 404, Code.NotFound);
    expectError(await api.post("/api/auth/login", { username: "a", password: "b" }), 404, Code.NotFound);
    const wrongVerb = await api.get("/api/auth/login/");
    expectError(wrongVerb, 405, Code.Unimplemented, "METHOD_NOT_ALLOWED");
    expect(wrongVerb.headers.get("allow")).toBe("POST");
  });

  it("answers 400 to a body that is not JSON", async () => {
    expectError(
      await api.call("POST", "/api/auth/login/", { raw: "{not json", headers: { "content-type": "application/json" } }),
      400,
      Code.InvalidArgument,
    );
  });

  it("serves docs and health: /openapi.json, /swagger/, /redoc/, /healthz, /readyz", async () => {
    const openapi = await api.get("/openapi.json");
    expect(openapi.status).toBe(200);
    expect(openapi.body.paths["/api/auth/register/"]).toBeDefined();
    for (const path of ["/swagger/", "/redoc/"]) {
      const page = await api.get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
    }
    expect((await api.get("/healthz")).status).toBe(200);
    expect((await api.get("/readyz")).status).toBe(200);
  });

  it("answers Connect-protocol calls at /<package>.<Service>/<Method>, and hides service-to-service RPCs", async () => {
    const user = await registerUser(api, "conn");
    const headers = { "content-type": "application/json", "connect-protocol-version": "1" };
    const login = await api.call("POST", "/identity.auth.v1.AuthService/Login", {
      raw: JSON.stringify({ username: user.username, password: PASSWORD }),
      headers,
    });
    expect(login.status).toBe(200);
    expect(login.body.access).toEqual(expect.any(String));
    const me = await api.call("POST", "/identity.profile.v1.ProfileService/GetMyProfile", { raw: "{}", headers, token: login.body.access });
    expect([me.status, me.body.profile.userId]).toEqual([200, user.id]);
    const anonymous = await api.call("POST", "/identity.profile.v1.ProfileService/GetMyProfile", { raw: "{}", headers });
    expect(anonymous.status).toBe(401);
    const hidden = await api.call("POST", "/identity.profile.v1.UserLookupService/BatchGetUsers", {
      raw: JSON.stringify({ ids: [user.id] }),
      headers,
      token: login.body.access,
    });
    expect(hidden.status).toBe(404);
  });
});

describe("CORS", () => {
  const allowed = "http://localhost:3000";
  const denied = "https://evil.example";

  it("answers a preflight from an allowed origin, with the headers browsers need", async () => {
    const res = await api.call("OPTIONS", "/api/auth/login/", {
      headers: {
        origin: allowed,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(res.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect(res.headers.get("access-control-allow-headers")).toMatch(/connect-protocol-version/);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/POST/);
  });

  it("names an allowed origin on answers and exposes the gRPC and retry headers", async () => {
    const res = await api.get("/openapi.json", { headers: { origin: allowed } });
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(res.headers.get("access-control-expose-headers")).toMatch(/grpc-status/);
    expect(res.headers.get("access-control-expose-headers")).toMatch(/retry-after/);
  });

  it("gives another origin no Access-Control-Allow-Origin", async () => {
    const pre = await api.call("OPTIONS", "/api/auth/login/", { headers: { origin: denied, "access-control-request-method": "POST" } });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await api.get("/healthz", { headers: { origin: denied } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

// The only test that calls GET /.well-known/jwks.json: its bucket is whole when it starts.
describe("the JWKS, and rate limits", () => {
  it(`serves the JWKS with key ids, and refuses the request past RATE_LIMIT_AUTH_REQUESTS on an AuthService route with 429, retry-after and RATE_LIMITED`, async () => {
    const answers: Answer[] = [];
    for (let i = 0; i <= gateway.authRateLimit; i++)
      answers.push(await api.get("/.well-known/jwks.json", { headers: { "x-forwarded-for": `10.0.0.${i % 250}` } }));
    // A client cannot pick its own bucket with X-Forwarded-For: the socket peer is the key.
    expect(answers.slice(0, -1).every((a) => a.status === 200)).toBe(true);
    expect(answers[0]?.body.keys.length).toBeGreaterThan(0);
    expect(answers[0]?.body.keys[0].kid).toEqual(expect.any(String));
    const last = answers.at(-1) as Answer;
    expectError(last, 429, Code.ResourceExhausted, "RATE_LIMITED");
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
