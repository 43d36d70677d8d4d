import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { decodeJwt } from "jose";
import { dbExecute, failure, registerUser, STRONG_PASSWORD, useAuth, within } from "./support.ts";

const harness = useAuth({ TRUSTED_PROXY_HOPS: "1" });

const auth = (token?: string) => harness.client(AuthService, token);
const from = (address: string, agent: string) => ({ headers: { "x-forwarded-for": address, "user-agent": agent } });

test("access and refresh tokens carry the session id (sid)", async () => {
  const { access, refresh } = await registerUser(harness);
  const sid = decodeJwt(access).sid;
  expect(typeof sid).toBe("string");
  expect(decodeJwt(refresh).sid).toBe(sid);
});

test("the list shows the caller's live sessions, newest first, with agent, address and which is current", async () => {
  const { username, access: first } = await registerUser(harness);
  const second = await auth().login({ username, password: STRONG_PASSWORD }, from("198.51.100.7", "Firefox/140"));
  const { sessions } = await auth(second.access).listSessions({});
  expect(sessions).toHaveLength(2);
  expect(sessions[0]).toMatchObject({
    id: decodeJwt(second.access).sid,
    userAgent: "Firefox/140",
    clientAddress: "198.51.100.7",
    current: true,
  });
  expect(sessions[1]).toMatchObject({ id: decodeJwt(first).sid, current: false });
  expect(sessions[0]!.createdAt!.seconds >= sessions[1]!.createdAt!.seconds).toBe(true);

  // A refresh moves last_used_at and records who refreshed.
  await dbExecute(harness, "update auth_session set last_used_at = last_used_at - interval '1 hour' where id = ?", [sessions[0]!.id]);
  const refreshed = await auth().refreshToken({ refresh: second.refresh }, from("198.51.100.8", "Firefox/141"));
  const after = (await auth(refreshed.access).listSessions({})).sessions[0]!;
  expect(after).toMatchObject({ userAgent: "Firefox/141", clientAddress: "198.51.100.8", current: true });
  expect(Number(after.lastUsedAt!.seconds)).toBeGreaterThan(Date.now() / 1000 - 60);
});

test("revoking one session ends its refresh token at once and its access tokens within 2 s; others are untouched", async () => {
  const { username, access: keep } = await registerUser(harness);
  const other = await auth().login({ username, password: STRONG_PASSWORD });
  const sid = decodeJwt(other.access).sid as string;
  await auth(keep).revokeSession({ id: sid });
  expect(await failure(auth().refreshToken({ refresh: other.refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  const took = await within(2000, async () => {
    expect(await failure(auth(other.access).listSessions({}))).toMatchObject({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
  });
  expect(took).toBeLessThan(2000);
  expect((await auth(keep).listSessions({})).sessions.map((s) => s.id)).not.toContain(sid);
  // Again, or another user's session, or an unknown one: 404; a malformed id: 400.
  expect(await failure(auth(keep).revokeSession({ id: sid }))).toMatchObject({ code: Code.NotFound, reason: "SESSION_NOT_FOUND" });
  const stranger = await registerUser(harness);
  const strangerSid = decodeJwt(stranger.access).sid as string;
  expect(await failure(auth(keep).revokeSession({ id: strangerSid }))).toMatchObject({ code: Code.NotFound });
  await expect(auth(stranger.access).listSessions({})).resolves.toHaveProperty("sessions");
  expect(await failure(auth(keep).revokeSession({ id: "not-a-uuid" }))).toMatchObject({ code: Code.InvalidArgument });
  const events = await dbExecute(harness, "select count(*)::int as n from outbox_event where type = 'session.revoked' and key = ?", [
    decodeJwt(keep).sub,
  ]);
  expect(events[0]!.n).toBe(1);
});

test("logout all ends every session of the caller (refresh and access tokens), no one else's", async () => {
  const { username, access, refresh } = await registerUser(harness);
  const other = await auth().login({ username, password: STRONG_PASSWORD });
  const bystander = await registerUser(harness);
  await auth(access).logoutAll({});
  for (const r of [refresh, other.refresh]) {
    expect(await failure(auth().refreshToken({ refresh: r }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  }
  await within(2000, async () => {
    for (const a of [access, other.access]) expect(await failure(auth(a).listSessions({}))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  });
  await expect(auth().refreshToken({ refresh: bystander.refresh })).resolves.toHaveProperty("access");
  // A new login works.
  await expect(auth().login({ username, password: STRONG_PASSWORD })).resolves.toHaveProperty("access");
});

test("logout and refresh-token reuse end the session's access tokens too", async () => {
  const a = await registerUser(harness);
  await auth().logout({ refresh: a.refresh });
  await within(2000, async () => expect(await failure(auth(a.access).listSessions({}))).toMatchObject({ reason: "TOKEN_NOT_VALID" }));

  const b = await registerUser(harness);
  const rotated = await auth().refreshToken({ refresh: b.refresh });
  expect(await failure(auth().refreshToken({ refresh: b.refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  await within(2000, async () => {
    expect(await failure(auth(rotated.access).listSessions({}))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  });
  const reasons = await dbExecute(harness, "select count(*)::int as n from outbox_event where type = 'session.revoked' and key in (?, ?)", [
    a.user!.id,
    b.user!.id,
  ]);
  expect(reasons[0]!.n).toBe(2);
});

test("without an access token the session endpoints answer 401 and change nothing", async () => {
  expect(await failure(auth().listSessions({}))).toMatchObject({ code: Code.Unauthenticated, reason: "NOT_AUTHENTICATED" });
  expect(await failure(auth().logoutAll({}))).toMatchObject({ code: Code.Unauthenticated });
  const { refresh } = await registerUser(harness);
  expect(await failure(auth(refresh).logoutAll({}))).toMatchObject({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
});
