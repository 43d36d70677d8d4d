// The spec's "Account lifecycle" table, row by row, with its error cases, through a gateway: the embedded
// one started here, or the one at GATEWAY_URL (Envoy on the stack). Ending a session or deleting the account
// must reach the other services' answers within 2 s (their revocation lists), whatever gateway is in front.

import { Code } from "@connectrpc/connect";
import { within } from "@identity/shared/testing/within.ts";
import { jest } from "@jest/globals";
import { type GatewayUnderTest, startGatewayUnderTest } from "./gateway-under-test.ts";
import { type Answer, PASSWORD, type RestClient, registerUser, restClient, uniqueName } from "./rest-client.ts";

jest.setTimeout(60_000);

let gateway: GatewayUnderTest;
let api: RestClient;

beforeAll(async () => {
  gateway = await startGatewayUnderTest();
  // Its own loopback address: the many auth calls here must not spend the per-client route limits of the
  // suites running beside it through the same gateway (nor the reverse).
  api = restClient(
    gateway.url,
    `127.${100 + Math.floor(Math.random() * 100)}.${1 + Math.floor(Math.random() * 253)}.${1 + Math.floor(Math.random() * 253)}`,
  );
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
});

const reasonOf = (answer: Answer): string | undefined =>
  answer.body?.details?.find((d: { "@type": string }) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")?.reason;

function expectError(answer: Answer, status: number, code: Code, reason?: string): void {
  expect({ status: answer.status, code: answer.body?.code, reason: reason === undefined ? undefined : reasonOf(answer) }).toEqual({
    status,
    code,
    reason,
  });
  expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+|stack|SELECT |INSERT |UPDATE |127\.0\.0\.1:\d{4,5}/i);
}

const keys = (o: object) => Object.keys(o).sort();
const NEW_PASSWORD = "a fresh lighthouse 8 hums";

/** The newest mail to `to` whose subject matches; mails leave after the answer, so this waits for it. */
async function mailTo(to: string, subject: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mail = await api.get(`/api/dev/mail/?to=${encodeURIComponent(to)}`);
    const found = (mail.body?.messages ?? []).find((m: { subject: string }) => subject.test(m.subject));
    if (found) return found.text as string;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail "${subject}" to ${to}`);
}

async function refusedEverywhere(token: string, reason: string): Promise<number> {
  return within(2000, async () => {
    for (const path of ["/api/auth/sessions/", "/api/profiles/me/", "/api/friendships/"]) {
      expectError(await api.get(path, { token }), 401, Code.Unauthenticated, reason);
    }
  });
}

const tokenIn = (text: string) => /#\/reset\?token=([A-Za-z0-9_-]{43})\b/.exec(text)?.[1] ?? "";

describe("password reset", () => {
  it("POST /api/auth/password/reset/ answers 202 {} for any address; a malformed one or an unknown field is 400", async () => {
    const user = await registerUser(api, "rst", { verify: false });
    const known = await api.post("/api/auth/password/reset/", { email: user.email });
    const unknown = await api.post("/api/auth/password/reset/", { email: `${uniqueName("nobody")}@example.com` });
    expect([known.status, known.body]).toEqual([202, {}]);
    expect([unknown.status, unknown.body]).toEqual([202, {}]);
    expect(tokenIn(await mailTo(user.email, /reset your password/i))).toHaveLength(43);
    expectError(await api.post("/api/auth/password/reset/", { email: "not an address" }), 400, Code.InvalidArgument);
    expectError(await api.post("/api/auth/password/reset/", { email: user.email, admin: true }), 400, Code.InvalidArgument);
  });

  it("POST /api/auth/password/reset/confirm/ sets the password once, ends every session, verifies the address", async () => {
    const user = await registerUser(api, "rsc", { verify: false });
    await api.post("/api/auth/password/reset/", { email: user.email });
    const token = tokenIn(await mailTo(user.email, /reset your password/i));
    expectError(await api.post("/api/auth/password/reset/confirm/", { token, new_password: "password" }), 400, Code.InvalidArgument);
    expectError(await api.post("/api/auth/password/reset/confirm/", { token: "x", new_password: NEW_PASSWORD }), 400, Code.InvalidArgument);
    const ok = await api.post("/api/auth/password/reset/confirm/", { token, new_password: NEW_PASSWORD });
    expect([ok.status, ok.body]).toEqual([200, {}]);
    expectError(
      await api.post("/api/auth/password/reset/confirm/", { token, newPassword: NEW_PASSWORD }),
      400,
      Code.InvalidArgument,
      "RESET_TOKEN_INVALID",
    );
    expectError(await api.post("/api/auth/refresh/", { refresh: user.refresh }), 401, Code.Unauthenticated);
    const took = await refusedEverywhere(user.access, "TOKEN_NOT_VALID");
    expect(took).toBeLessThan(2000);
    expectError(await api.post("/api/auth/login/", { username: user.username, password: PASSWORD }), 401, Code.Unauthenticated);
    const login = await api.post("/api/auth/login/", { username: user.username, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
  });
});

describe("password change", () => {
  it("POST /api/auth/password/change/ answers a new pair and ends every other session; a wrong password is 400", async () => {
    const user = await registerUser(api, "chg");
    const other = await api.post("/api/auth/login/", { username: user.username, password: PASSWORD });
    expectError(
      await api.post(
        "/api/auth/password/change/",
        { current_password: "not it at all", new_password: NEW_PASSWORD },
        { token: user.access },
      ),
      400,
      Code.InvalidArgument,
      "PASSWORD_INCORRECT",
    );
    expectError(
      await api.post("/api/auth/password/change/", { current_password: PASSWORD, new_password: NEW_PASSWORD }),
      401,
      Code.Unauthenticated,
      "NOT_AUTHENTICATED",
    );
    const res = await api.post(
      "/api/auth/password/change/",
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      { token: user.access },
    );
    expect(res.status).toBe(200);
    expect(keys(res.body)).toEqual(["access", "refresh"]);
    expectError(await api.post("/api/auth/refresh/", { refresh: other.body.refresh }), 401, Code.Unauthenticated);
    expectError(await api.post("/api/auth/refresh/", { refresh: user.refresh }), 401, Code.Unauthenticated);
    expect(await refusedEverywhere(other.body.access, "TOKEN_NOT_VALID")).toBeLessThan(2000);
    expect((await api.get("/api/profiles/me/", { token: res.body.access })).status).toBe(200);
    expect((await api.post("/api/auth/refresh/", { refresh: res.body.refresh })).status).toBe(200);
  });
});

describe("email change", () => {
  it("POST /api/auth/email/change/ is 202 {} and mails a code; taken 409; wrong password 400; no token 401", async () => {
    const user = await registerUser(api, "eml");
    const other = await registerUser(api, "emo", { verify: false });
    const target = `${uniqueName("new")}@example.org`;
    expectError(
      await api.post("/api/auth/email/change/", { new_email: other.email.toUpperCase(), password: PASSWORD }, { token: user.access }),
      409,
      Code.AlreadyExists,
      "EMAIL_TAKEN",
    );
    expectError(
      await api.post("/api/auth/email/change/", { new_email: target, password: "not it at all" }, { token: user.access }),
      400,
      Code.InvalidArgument,
      "PASSWORD_INCORRECT",
    );
    expectError(await api.post("/api/auth/email/change/", { new_email: target, password: PASSWORD }), 401, Code.Unauthenticated);
    const res = await api.post("/api/auth/email/change/", { new_email: target, password: PASSWORD }, { token: user.access });
    expect([res.status, res.body]).toEqual([202, {}]);
    expect(await mailTo(user.email, /being changed/i)).toContain(target);

    const code = /\b(\d{6})\b/.exec(await mailTo(target, /confirm your new email/i))?.[1] ?? "";
    const wrong = code === "000000" ? "111111" : "000000";
    expectError(
      await api.post("/api/auth/email/change/confirm/", { code: wrong }, { token: user.access }),
      400,
      Code.InvalidArgument,
      "OTP_INVALID",
    );
    expectError(await api.post("/api/auth/email/change/confirm/", { code: "12ab" }, { token: user.access }), 400, Code.InvalidArgument);
    const confirmed = await api.post("/api/auth/email/change/confirm/", { code }, { token: user.access });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user).toMatchObject({ id: user.id, email: target, email_verified: true });
    expect((await api.post("/api/auth/login/", { username: target, password: PASSWORD })).status).toBe(200);
  });
});

describe("sessions", () => {
  it("GET /api/auth/sessions/ lists the live sessions, newest first, every field present, the current one marked", async () => {
    const user = await registerUser(api, "ses", { verify: false });
    const second = await api.post(
      "/api/auth/login/",
      { username: user.username, password: PASSWORD },
      { headers: { "user-agent": "ContractSuite/1" } },
    );
    const res = await api.get("/api/auth/sessions/", { token: second.body.access });
    expect(res.status).toBe(200);
    expect(keys(res.body)).toEqual(["sessions"]);
    expect(res.body.sessions).toHaveLength(2);
    for (const s of res.body.sessions)
      expect(keys(s)).toEqual(["client_address", "created_at", "current", "id", "last_used_at", "user_agent"]);
    expect(res.body.sessions.map((s: { current: boolean }) => s.current)).toEqual([true, false]);
    expect(res.body.sessions[0].user_agent).toBe("ContractSuite/1");
    expect(res.body.sessions[0].client_address).not.toBe("");
    expectError(await api.get("/api/auth/sessions/"), 401, Code.Unauthenticated, "NOT_AUTHENTICATED");
  });

  it("DELETE /api/auth/sessions/{id}/ ends one of the caller's sessions; someone else's or unknown is 404, a malformed id 400", async () => {
    const user = await registerUser(api, "rvk", { verify: false });
    const second = await api.post("/api/auth/login/", { username: user.username, password: PASSWORD });
    const stranger = await registerUser(api, "rvs", { verify: false });
    const [current, older] = (await api.get("/api/auth/sessions/", { token: user.access })).body.sessions;
    expect(current.current).toBe(false); // the second login is newer
    const strangerSession = (await api.get("/api/auth/sessions/", { token: stranger.access })).body.sessions[0].id;
    expectError(
      await api.delete(`/api/auth/sessions/${strangerSession}/`, { token: user.access }),
      404,
      Code.NotFound,
      "SESSION_NOT_FOUND",
    );
    expectError(await api.delete("/api/auth/sessions/0190a0a0-0000-7000-8000-000000000000/", { token: user.access }), 404, Code.NotFound);
    expectError(await api.delete("/api/auth/sessions/nope/", { token: user.access }), 400, Code.InvalidArgument);
    const res = await api.delete(`/api/auth/sessions/${current.id}/`, { token: user.access });
    expect([res.status, res.body]).toEqual([200, {}]);
    expectError(await api.post("/api/auth/refresh/", { refresh: second.body.refresh }), 401, Code.Unauthenticated);
    expect(await refusedEverywhere(second.body.access, "TOKEN_NOT_VALID")).toBeLessThan(2000);
    expect((await api.get("/api/auth/sessions/", { token: user.access })).body.sessions.map((s: { id: string }) => s.id)).toEqual([
      older.id,
    ]);
  });

  it("POST /api/auth/logout/all/ ends every session of the caller: refresh tokens at once, access tokens within 2 s", async () => {
    const user = await registerUser(api, "all", { verify: false });
    const second = await api.post("/api/auth/login/", { username: user.username, password: PASSWORD });
    expectError(await api.post("/api/auth/logout/all/", {}), 401, Code.Unauthenticated, "NOT_AUTHENTICATED");
    const res = await api.post("/api/auth/logout/all/", {}, { token: user.access });
    expect([res.status, res.body]).toEqual([200, {}]);
    for (const refresh of [user.refresh, second.body.refresh]) {
      expectError(await api.post("/api/auth/refresh/", { refresh }), 401, Code.Unauthenticated);
    }
    const took = await refusedEverywhere(second.body.access, "TOKEN_NOT_VALID");
    expect(took).toBeLessThan(2000);
    await refusedEverywhere(user.access, "TOKEN_NOT_VALID");
  });
});

describe("account deletion", () => {
  it("POST /api/auth/account/delete/ deletes the account: tokens 401 ACCOUNT_DELETED, profile and friendships gone, name free", async () => {
    const user = await registerUser(api, "del");
    const friend = await registerUser(api, "dlf");
    const req = await api.post("/api/friendships/request/", { addressee_id: friend.id }, { token: user.access });
    expect(req.status).toBe(201);
    expect((await api.post(`/api/friendships/respond/${req.body.id}/`, { action: "accept" }, { token: friend.access })).status).toBe(200);

    expectError(
      await api.post("/api/auth/account/delete/", { password: "not it at all" }, { token: user.access }),
      400,
      Code.InvalidArgument,
      "PASSWORD_INCORRECT",
    );
    expectError(await api.post("/api/auth/account/delete/", { password: PASSWORD }), 401, Code.Unauthenticated, "NOT_AUTHENTICATED");
    const res = await api.post("/api/auth/account/delete/", { password: PASSWORD }, { token: user.access });
    expect([res.status, res.body]).toEqual([200, {}]);
    expect(await refusedEverywhere(user.access, "ACCOUNT_DELETED")).toBeLessThan(2000);
    expectError(await api.post("/api/auth/refresh/", { refresh: user.refresh }), 401, Code.Unauthenticated);

    await within(3000, async () => {
      const listed = await api.get(`/api/users/?search=${user.username}`, { token: friend.access });
      expect(listed.body.users.map((u: { id: string }) => u.id)).not.toContain(user.id);
      expect((await api.get("/api/friendships/", { token: friend.access })).body.friendships).toEqual([]);
    });
    const again = await api.post("/api/auth/register/", { username: user.username, email: user.email, password: PASSWORD });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(user.id);
    expect((await api.get("/api/profiles/me/", { token: again.body.access })).body.username).toBe(user.username);
  });
});
