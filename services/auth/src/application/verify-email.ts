// Email verification by code, for the caller's own account (the access token says who): nobody else can spend
// an account's tries. Wrong tries are counted atomically against the very code that was tried; after the
// limit the code is dead (even the right one is refused) until a new code is sent.
import { invalidArgument, resourceExhausted } from "@identity/shared/errors.ts";
import { hashCode, sameHash } from "../domain/verification-code.ts";
import { findUserById, markEmailVerified } from "../persistence/user.repository.ts";
import { recordUserEmailVerified } from "../persistence/user-events.ts";
import { consumeCode, countWrongTry, findCode } from "../persistence/verification-code.repository.ts";
import { type AuthDeps, type UserView, userView } from "./auth-deps.ts";

export const invalid = () => invalidArgument("OTP_INVALID", "The verification code is invalid.", "code");
export const expired = () => invalidArgument("OTP_EXPIRED", "The verification code has expired. Ask for a new one.", "code");
export const exhausted = (retryAfterSeconds: number) =>
  resourceExhausted("OTP_ATTEMPTS_EXCEEDED", "Too many wrong codes. Ask for a new one.", retryAfterSeconds);

export const emailNotCallers = () =>
  invalidArgument("EMAIL_NOT_CALLERS", "This is not the address of the account you are logged in with.", "email");

/** `email`, when not empty, must be the caller's address (case-insensitively); nothing is counted otherwise. */
export async function verifyEmail(deps: AuthDeps, input: { userId: string; email: string; code: string }): Promise<UserView> {
  const em = deps.orm.em.fork();
  const max = deps.config.otpMaxAttempts;
  const user = await findUserById(em, input.userId);
  if (!user) throw invalid();
  if (input.email !== "" && input.email.toLowerCase() !== user.email.toLowerCase()) throw emailNotCallers();
  const stored = await findCode(em, user.id);
  if (!stored || stored.email.toLowerCase() !== user.email.toLowerCase()) throw invalid();
  const retryAfter = deps.config.otpResendIntervalSeconds;
  if (stored.attempts >= max) throw exhausted(retryAfter);
  if (stored.expires_at.getTime() <= Date.now()) throw expired();

  const presented = hashCode(deps.codeKey, { userId: user.id, email: stored.email }, input.code);
  if (!sameHash(presented, stored.code_hash)) {
    const attempts = await countWrongTry(em, user.id, stored.code_hash, max);
    if (attempts === undefined) throw exhausted(retryAfter);
    throw invalid();
  }

  const verifiedAt = new Date();
  const verified = await em.transactional(async (tx) => {
    if (!(await consumeCode(tx, user.id, stored.code_hash, max))) return undefined;
    const row = await markEmailVerified(tx, user.id);
    recordUserEmailVerified(tx, user.id, verifiedAt);
    return row;
  });
  if (verified) return userView(verified);
  // Lost a race: the code was used up, replaced, exhausted or expired meanwhile.
  const now = await findCode(em, user.id);
  if (now && now.attempts >= max) throw exhausted(retryAfter);
  if (now && now.expires_at.getTime() <= Date.now()) throw expired();
  throw invalid();
}
