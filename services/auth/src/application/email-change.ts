// Change of address: a 6-digit code to the new address (HMAC bound to this account and that address, 10
// minutes, 5 tries counted atomically) and a notice to the current one, both composed after the answer
// (lifecycle-mail.ts); the switch (verified) on the right code, with user.email_changed. The address must still be free at the switch: the unique index decides.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { invalidArgument } from "@identity/shared/errors.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import { hashCode, sameHash } from "../domain/verification-code.ts";
import { emailTakenOn, findUserByEmail, switchEmail } from "../persistence/user.repository.ts";
import { recordUserEmailChanged } from "../persistence/user-events.ts";
import { codeSentWithin, consumeCode, countWrongTry, deleteCode, findCode } from "../persistence/verification-code.repository.ts";
import { type AuthDeps, type UserView, userView } from "./auth-deps.ts";
import { checkCurrentPassword } from "./current-password.ts";
import { queueEmailChangeMails } from "./lifecycle-mail.ts";
import { rateLimited } from "./rate-limiter.ts";
import { exhausted, expired, invalid } from "./verify-email.ts";

const TABLE = "email_change_code";

export async function requestEmailChange(
  deps: AuthDeps,
  caller: Caller,
  input: { newEmail: string; password: string; client: string; requestId?: string },
): Promise<void> {
  const em = deps.orm.em.fork();
  const user = await checkCurrentPassword(deps, em, caller, { ...input, field: "password" });
  if (user.email.toLowerCase() === input.newEmail.toLowerCase()) {
    throw invalidArgument("EMAIL_UNCHANGED", "This is already the address of the account.", "new_email");
  }
  if (await findUserByEmail(em, input.newEmail)) throw emailTakenOn("new_email");
  // One code per interval; the composer checks again under its own transaction, so a racing second request
  // is dropped there.
  if (await codeSentWithin(em, user.id, deps.config.otpResendIntervalSeconds, TABLE)) {
    throw rateLimited(deps.config.otpResendIntervalSeconds);
  }
  await em.transactional((tx) =>
    queueEmailChangeMails(deps, tx, { userId: user.id, username: user.username, currentEmail: user.email, newEmail: input.newEmail }),
  );
}

export async function confirmEmailChange(
  deps: AuthDeps,
  caller: Caller,
  input: { code: string; client: string; requestId?: string },
): Promise<UserView> {
  const em = deps.orm.em.fork();
  const max = deps.config.otpMaxAttempts;
  const retryAfter = deps.config.otpResendIntervalSeconds;
  const stored = await findCode(em, caller.userId, TABLE);
  if (!stored) throw invalid();
  if (stored.attempts >= max) throw exhausted(retryAfter);
  if (stored.expires_at.getTime() <= Date.now()) throw expired();
  const presented = hashCode(deps.codeKey, { userId: caller.userId, email: stored.email }, input.code);
  if (!sameHash(presented, stored.code_hash)) {
    if ((await countWrongTry(em, caller.userId, stored.code_hash, max, TABLE)) === undefined) throw exhausted(retryAfter);
    throw invalid();
  }
  const changedAt = new Date();
  const user = await em.transactional(async (tx) => {
    // Lost a race (used up, replaced, exhausted or expired meanwhile): the code is no longer good.
    if (!(await consumeCode(tx, caller.userId, stored.code_hash, max, TABLE))) throw invalid();
    const row = await switchEmail(tx, caller.userId, stored.email, "code");
    await deleteCode(tx, caller.userId); // a verification code for the old address is moot now
    recordUserEmailChanged(tx, caller.userId, row.email, changedAt);
    return row;
  });
  deps.securityLog.record(securityEvents.emailChanged, { userId: caller.userId, client: input.client, requestId: input.requestId });
  return userView(user);
}
