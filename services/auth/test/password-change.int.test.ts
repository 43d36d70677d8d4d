import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { decodeJwt } from "jose";
import { dbExecute, failure, registerUser, STRONG_PASSWORD, useAuth, within } from "./support.ts";

const harness = useAuth({ TRUSTED_PROXY_HOPS: "1", LOGIN_MAX_FAILURES: "3", LOGIN_FAILURES_PER_CLIENT_LIMIT: "1000" });

const auth = (token?: string) => harness.client(AuthService, token);
const NEW_PASSWORD = "another fine passphrase 9";
let client = 0;
const fromNewClient = () => ({ headers: { "x-forwarded-for": `192.0.2.${++client}` } });

test("a change answers a new pair for this session and ends every other one; the old refresh tokens are refused", async () => {
  const { username, access, refresh } = await registerUser(harness);
  const other = await auth().login({ username, password: STRONG_PASSWORD });
  const pair = await auth(access).changePassword({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD });
  expect(decodeJwt(pair.access).sid).toBe(decodeJwt(access).sid);

  expect(await failure(auth().refreshToken({ refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(await failure(auth().refreshToken({ refresh: other.refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  await within(2000, async () => expect(await failure(auth(other.access).listSessions({}))).toMatchObject({ reason: "TOKEN_NOT_VALID" }));
  // The new pair works, and an old refresh token of this session did not end it.
  await expect(auth().refreshToken({ refresh: pair.refresh })).resolves.toHaveProperty("access");
  const { sessions } = await auth(pair.access).listSessions({});
  expect(sessions.map((s) => s.id)).toEqual([decodeJwt(access).sid]);

  expect(await failure(auth().login({ username, password: STRONG_PASSWORD }))).toMatchObject({ reason: "INVALID_CREDENTIALS" });
  await expect(auth().login({ username, password: NEW_PASSWORD })).resolves.toHaveProperty("access");
  const events = await dbExecute(harness, "select type from outbox_event where key = ? and type = 'user.password_changed'", [
    decodeJwt(access).sub,
  ]);
  expect(events).toHaveLength(1);
});

test("a wrong current password is 400 PASSWORD_INCORRECT, counted like a failed login, then throttled", async () => {
  const { username, access } = await registerUser(harness);
  for (let i = 0; i < 3; i++) {
    expect(
      await failure(auth(access).changePassword({ currentPassword: "wrong guess!", newPassword: NEW_PASSWORD }, fromNewClient())),
    ).toMatchObject({
      code: Code.InvalidArgument,
      reason: "PASSWORD_INCORRECT",
      fields: ["current_password"],
    });
  }
  // The same window as login: now even the right password is throttled, here and at login.
  expect(
    await failure(auth(access).changePassword({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }, fromNewClient())),
  ).toMatchObject({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
  expect(await failure(auth().login({ username, password: STRONG_PASSWORD }, fromNewClient()))).toMatchObject({
    reason: "RATE_LIMITED",
  });
});

test("the new password follows register's policy", async () => {
  const { username, access } = await registerUser(harness);
  expect(await failure(auth(access).changePassword({ currentPassword: STRONG_PASSWORD, newPassword: "password1" }))).toMatchObject({
    reason: "PASSWORD_TOO_COMMON",
    fields: ["new_password"],
  });
  expect(await failure(auth(access).changePassword({ currentPassword: STRONG_PASSWORD, newPassword: username }))).toMatchObject({
    reason: "PASSWORD_TOO_COMMON",
  });
  expect(await failure(auth().changePassword({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }))).toMatchObject({
    code: Code.Unauthenticated,
  });
});
