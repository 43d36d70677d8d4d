// Every flow of the account lifecycle writes its security-log line, and no password, code or token reaches
// the log.
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { createCapturedLog } from "@identity/shared/testing/captured-log.ts";
import { startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { decodeJwt } from "jose";
import { authService } from "../src/definition.ts";
import { type AuthHarness, registerUser, STRONG_PASSWORD, uniqueName, waitForMail } from "./support.ts";

const log = createCapturedLog("auth");
let harness: AuthHarness;
beforeAll(async () => {
  harness = await startServiceHarness(authService, { logger: log.logger });
});
afterAll(() => harness?.close());

const auth = (token?: string) => harness.client(AuthService, token);

test("reset, change, email change, revocation and deletion each log their event, without secrets", async () => {
  const { email, access, username } = await registerUser(harness);
  const userId = decodeJwt(access).sub as string;
  await auth().requestPasswordReset({ email });
  const resetToken = /token=([A-Za-z0-9_-]{43})/.exec(await waitForMail(harness, email, /reset your password/i))?.[1] ?? "";
  const afterReset = "the reset passphrase 12";
  await auth().confirmPasswordReset({ token: resetToken, newPassword: afterReset });
  const session = await auth().login({ username, password: afterReset });
  const second = await auth().login({ username, password: afterReset });
  const changed = "the changed passphrase 13";
  const pair = await auth(session.access).changePassword({ currentPassword: afterReset, newPassword: changed });
  const target = `${uniqueName("new")}@example.org`;
  await auth(pair.access).requestEmailChange({ newEmail: target, password: changed });
  const code = /\b(\d{6})\b/.exec(await waitForMail(harness, target, /confirm/i))?.[1] ?? "";
  await auth(pair.access).confirmEmailChange({ code });
  const third = await auth().login({ username, password: changed });
  await auth(pair.access).revokeSession({ id: decodeJwt(third.access).sid as string });
  await auth(pair.access).deleteAccount({ password: changed });

  const events = log
    .securityLines()
    .filter((l) => l.user_id === userId)
    .map((l) => l.event);
  expect(events).toEqual(
    expect.arrayContaining(["password_reset", "session_revoked", "password_changed", "email_changed", "account_deleted"]),
  );
  const raw = log.raw();
  for (const secret of [STRONG_PASSWORD, afterReset, changed, resetToken, code, session.refresh, second.refresh, pair.access]) {
    expect(raw).not.toContain(secret);
  }
});
