import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { silentLogger } from "@identity/shared/logger.ts";
import { createSecurityLog } from "@identity/shared/security/security-log.ts";
import { expireUnverifiedAccounts } from "../src/application/expire-unverified-accounts.ts";
import { type AuthHarness, dbExecute, failure, latestCode, registerUser, STRONG_PASSWORD, startAuth, within } from "./support.ts";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuth({ UNVERIFIED_ACCOUNT_TTL: "1h" });
});
afterAll(() => harness?.close());

const auth = (token?: string) => harness.client(AuthService, token);

test("deletion with the password: the account and its sessions go, the tokens are refused (ACCOUNT_DELETED), user.deleted", async () => {
  const { access, refresh, username, email, user } = await registerUser(harness);
  expect(await failure(auth(access).deleteAccount({ password: "not the password" }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "PASSWORD_INCORRECT",
  });
  await auth(access).deleteAccount({ password: STRONG_PASSWORD });
  await within(2000, async () => {
    expect(await failure(auth(access).listSessions({}))).toMatchObject({ code: Code.Unauthenticated, reason: "ACCOUNT_DELETED" });
  });
  expect(await failure(auth().refreshToken({ refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(await failure(auth().login({ username, password: STRONG_PASSWORD }))).toMatchObject({ reason: "INVALID_CREDENTIALS" });
  const rows = await dbExecute(
    harness,
    "select (select count(*)::int from app_user where id = ?) as users, (select count(*)::int from auth_session where user_id = ?) as sessions",
    [user!.id, user!.id],
  );
  expect(rows[0]).toEqual({ users: 0, sessions: 0 });
  const events = await dbExecute(harness, "select type from outbox_event where key = ? and type = 'user.deleted'", [user!.id]);
  expect(events).toHaveLength(1);

  // Username and email are free again.
  const again = await registerUser(harness, { username, email });
  expect(again.user!.id).not.toBe(user!.id);
  await expect(auth(again.access).listSessions({})).resolves.toHaveProperty("sessions");
});

test("unverified accounts past UNVERIFIED_ACCOUNT_TTL are deleted the same way; verified or younger ones stay", async () => {
  const stale = await registerUser(harness);
  const verified = await registerUser(harness);
  await harness
    .client(AuthService, verified.access)
    .verifyEmail({ email: verified.email, code: await latestCode(harness, verified.email) });
  const young = await registerUser(harness);
  await dbExecute(harness, "update app_user set date_joined = now() - interval '2 hours' where id in (?, ?)", [
    stale.user!.id,
    verified.user!.id,
  ]);

  const deleted = await harness.module.useCases.expireUnverifiedAccounts();
  expect(deleted).toBeGreaterThanOrEqual(1);
  const left = await dbExecute(harness, "select id from app_user where id in (?, ?, ?)", [
    stale.user!.id,
    verified.user!.id,
    young.user!.id,
  ]);
  expect(left.map((r) => r.id).sort()).toEqual([verified.user!.id, young.user!.id].sort());
  const [event] = await dbExecute(harness, "select type from outbox_event where key = ? and type = 'user.deleted'", [stale.user!.id]);
  expect(event).toBeDefined();
  await within(2000, async () => expect(await failure(auth(stale.access).listSessions({}))).toMatchObject({ reason: "ACCOUNT_DELETED" }));
  // A clock far enough ahead takes the young one too.
  const expireLater = expireUnverifiedAccounts({
    orm: harness.orm,
    now: () => new Date(Date.now() + 2 * 3600_000),
    config: { unverifiedAccountTtlSeconds: 3600, accessTokenTtlSeconds: 300 },
    securityLog: createSecurityLog(silentLogger()),
  });
  expect(await expireLater()).toBeGreaterThanOrEqual(1);
  expect(await dbExecute(harness, "select id from app_user where id = ?", [young.user!.id])).toHaveLength(0);
});
