import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import {
  dbExecute,
  failure,
  mailCount,
  mailOutboxDrained,
  registerUser,
  STRONG_PASSWORD,
  uniqueName,
  useAuth,
  waitForMail,
  within,
} from "./support.ts";

const harness = useAuth({ WEB_BASE_URL: "https://app.example.test/" });

const auth = () => harness.client(AuthService);
const NEW_PASSWORD = "a brand new passphrase 7";
const RESET_SUBJECT = /reset your password/i;

async function requestLink(email: string): Promise<string> {
  await auth().requestPasswordReset({ email });
  const text = await waitForMail(harness, email, RESET_SUBJECT);
  const token = /https:\/\/app\.example\.test\/#\/reset\?token=([A-Za-z0-9_-]{43})\b/.exec(text)?.[1];
  if (!token) throw new Error(`no reset link in: ${text}`);
  return token;
}

test("the link sets the password once: the old password and every session end, the address is verified", async () => {
  const { email, username, user, refresh, access } = await registerUser(harness);
  expect(user!.emailVerified).toBe(false);
  const token = await requestLink(email);
  await expect(auth().confirmPasswordReset({ token, newPassword: NEW_PASSWORD })).resolves.toEqual(expect.anything());

  expect(await failure(auth().login({ username, password: STRONG_PASSWORD }))).toMatchObject({ reason: "INVALID_CREDENTIALS" });
  await expect(auth().login({ username, password: NEW_PASSWORD })).resolves.toHaveProperty("access");
  expect(await failure(auth().refreshToken({ refresh }))).toMatchObject({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
  // The old access token is refused by the service too, not only after its 5 minutes.
  await within(2000, async () => {
    expect(await failure(harness.client(AuthService, access).listSessions({}))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  });
  const [row] = await dbExecute(harness, "select email_verified from app_user where id = ?", [user!.id]);
  expect(row!.email_verified).toBe(true);
  const events = await dbExecute(harness, "select type from outbox_event where key = ? order by occurred_at, id", [user!.id]);
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["user.email_verified", "user.password_changed", "session.revoked"]));

  // Single use.
  expect(await failure(auth().confirmPasswordReset({ token, newPassword: "yet another passphrase 8" }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "RESET_TOKEN_INVALID",
    fields: ["token"],
  });
});

test("a token is refused after 30 minutes, and after a newer one was sent", async () => {
  const { email, user } = await registerUser(harness);
  const first = await requestLink(email);
  // A second request within the minute sends nothing and the first token stays good.
  await auth().requestPasswordReset({ email });
  await mailOutboxDrained(harness);
  expect(await mailCount(harness, email, RESET_SUBJECT)).toBe(1);

  await dbExecute(harness, "update password_reset_token set sent_at = sent_at - interval '2 minutes' where user_id = ?", [user!.id]);
  await auth().requestPasswordReset({ email });
  await within(3000, async () => expect(await mailCount(harness, email, RESET_SUBJECT)).toBe(2));
  expect(await failure(auth().confirmPasswordReset({ token: first, newPassword: NEW_PASSWORD }))).toMatchObject({
    reason: "RESET_TOKEN_INVALID",
  });

  const [, second] = (await waitForMail(harness, email, RESET_SUBJECT)).match(/token=([A-Za-z0-9_-]{43})/) ?? [];
  await dbExecute(harness, "update password_reset_token set expires_at = now() - interval '1 second' where user_id = ?", [user!.id]);
  expect(await failure(auth().confirmPasswordReset({ token: second!, newPassword: NEW_PASSWORD }))).toMatchObject({
    reason: "RESET_TOKEN_INVALID",
  });
});

test("an unknown address gets the same answer and no mail; the token is stored only as a hash", async () => {
  const unknown = `${uniqueName("ghost")}@example.com`;
  await expect(auth().requestPasswordReset({ email: unknown })).resolves.toEqual(expect.anything());
  await mailOutboxDrained(harness);
  expect(await mailCount(harness, unknown, RESET_SUBJECT)).toBe(0);

  const { email, user } = await registerUser(harness);
  const token = await requestLink(email);
  const [row] = await dbExecute(harness, "select token_hash from password_reset_token where user_id = ?", [user!.id]);
  expect(Buffer.from(row!.token_hash as Uint8Array).toString("base64url")).not.toBe(token);
  expect(JSON.stringify(row)).not.toContain(token);
});

test("the new password follows register's policy; bad input is a 400 naming the field and spends nothing", async () => {
  const { email, username } = await registerUser(harness);
  const token = await requestLink(email);
  expect(await failure(auth().confirmPasswordReset({ token, newPassword: "password123" }))).toMatchObject({
    reason: "PASSWORD_TOO_COMMON",
    fields: ["new_password"],
  });
  expect(await failure(auth().confirmPasswordReset({ token, newPassword: username }))).toMatchObject({ reason: "PASSWORD_TOO_COMMON" });
  expect(await failure(auth().confirmPasswordReset({ token, newPassword: "short" }))).toMatchObject({ code: Code.InvalidArgument });
  expect(await failure(auth().confirmPasswordReset({ token: "not-a-token", newPassword: NEW_PASSWORD }))).toMatchObject({
    code: Code.InvalidArgument,
  });
  expect(await failure(auth().requestPasswordReset({ email: "not an address" }))).toMatchObject({ code: Code.InvalidArgument });
  // Still usable after all that.
  await auth().confirmPasswordReset({ token, newPassword: NEW_PASSWORD });
});

test("a known and an unknown address take the same time (the mail leaves after the answer)", async () => {
  const known = await Promise.all(Array.from({ length: 7 }, () => registerUser(harness)));
  const time = async (email: string) => {
    const started = performance.now();
    await auth().requestPasswordReset({ email });
    return performance.now() - started;
  };
  const knownTimes: number[] = [];
  const unknownTimes: number[] = [];
  for (const user of known) {
    knownTimes.push(await time(user.email));
    unknownTimes.push(await time(`${uniqueName("ghost")}@example.com`));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Both run the same statements; only noise separates them. A slow step for known addresses only (an SMTP
  // send before the answer, a hash) would show as a multiple.
  expect(median(knownTimes)).toBeLessThan(median(unknownTimes) * 3 + 5);
  expect(median(unknownTimes)).toBeLessThan(median(knownTimes) * 3 + 5);
  await within(3000, async () => expect(await mailCount(harness, known[0]!.email, RESET_SUBJECT)).toBe(1));
});
