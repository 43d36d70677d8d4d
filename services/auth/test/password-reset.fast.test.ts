// Password reset on PGlite: the composer stores a token only for an existing account and at most one per
// interval; confirming spends it once, sets the password, marks the address verified and ends every session.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { composePasswordResetMail } from "../src/application/lifecycle-mail.ts";
import { FAST_PASSWORD, type FastAuth, startFastAuth } from "./fast-auth.ts";

let auth: FastAuth;
let compose: ReturnType<typeof composePasswordResetMail>;
const origin = { client: "203.0.113.1", requestId: undefined };
beforeAll(async () => {
  auth = await startFastAuth();
  compose = composePasswordResetMail({ config: auth.config, codeKey: Buffer.alloc(32) });
});
afterAll(() => auth?.close());

/** Composes the reset mail to `email` as the mail relay would, in a transaction of its own; the token in its link. */
async function resetLinkTo(email: string): Promise<string | undefined> {
  const mail = await auth.orm.em.fork().transactional((tx) => compose(tx, { to: email, data: {} }));
  return mail && /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
}

test("an unknown address gets no token; a known one gets one, and no second within the interval", async () => {
  expect(await resetLinkTo("nobody@example.com")).toBeUndefined();
  const username = await auth.registerAccount("fast_reset");
  expect(await resetLinkTo(`${username.toUpperCase()}@EXAMPLE.COM`)).toEqual(expect.any(String));
  expect(await resetLinkTo(`${username}@example.com`)).toBeUndefined();
});

test("confirming spends the token once, sets the password, verifies the address and ends every session", async () => {
  const username = await auth.registerAccount("fast_reset");
  const session = await auth.useCases.login({ username, password: FAST_PASSWORD, origin });
  const token = (await resetLinkTo(`${username}@example.com`))!;
  const newPassword = "a brand new passphrase 7";

  await auth.useCases.confirmPasswordReset({ token, newPassword, client: origin.client });
  await expect(auth.useCases.confirmPasswordReset({ token, newPassword, client: origin.client })).rejects.toMatchObject({
    reason: "RESET_TOKEN_INVALID",
  });
  const client = { userAgent: "", clientAddress: origin.client };
  await expect(auth.useCases.refreshToken(session.refresh, client)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  await expect(auth.useCases.login({ username, password: newPassword, origin })).resolves.toMatchObject({ access: expect.any(String) });
  const [user] = await auth.sql("select email_verified from app_user where username = ?", [username]);
  expect(user?.email_verified).toBe(true);
});

test("an expired token is refused", async () => {
  const username = await auth.registerAccount("fast_reset");
  const token = (await resetLinkTo(`${username}@example.com`))!;
  await auth.sql("update password_reset_token set expires_at = now() - interval '1 second'");
  await expect(
    auth.useCases.confirmPasswordReset({ token, newPassword: "a brand new passphrase 7", client: origin.client }),
  ).rejects.toMatchObject({ reason: "RESET_TOKEN_INVALID" });
});
