// Email verification by code, for the caller's own account (the access token says who): nobody else can spend
// an account's tries. Wrong tries are counted atomically against the very code that was tried; after the
// limit the code is dead (even the right one is refused) until a new code is sent.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { hashCode, sameHash } from "../domain/verification-code.ts";
import { recordUserEmailVerified } from "../events/published.ts";
import { findUserById, markEmailVerified } from "../persistence/user.repository.ts";
import { consumeCode, countWrongTry, findCode } from "../persistence/verification-code.repository.ts";
import { type UserView, userView } from "./user-view.ts";

export const invalid = () => domainError(ErrorReason.OTP_INVALID, { field: "code" });
export const expired = () => domainError(ErrorReason.OTP_EXPIRED, { field: "code" });
export const exhausted = (retryAfterSeconds: number) => domainError(ErrorReason.OTP_ATTEMPTS_EXCEEDED, { retryAfterSeconds });

export const emailNotCallers = () => domainError(ErrorReason.EMAIL_NOT_CALLERS, { field: "email" });

export interface VerifyEmailDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "otpMaxAttempts" | "otpResendIntervalSeconds">;
  /** HMAC key of the verification codes. */
  codeKey: Buffer;
}

/** `email`, when not empty, must be the caller's address (case-insensitively); nothing is counted otherwise. */
export function verifyEmail(deps: VerifyEmailDeps) {
  return async (input: { userId: string; email: string; code: string }): Promise<UserView> => {
    const em = deps.orm.em.fork();
    const max = deps.config.otpMaxAttempts;
    const user = await findUserById(em, input.userId);
    if (!user) throw invalid();
    if (input.email !== "" && input.email.toLowerCase() !== user.email.toLowerCase()) throw emailNotCallers();
    const stored = await findCode(em, user.id);
    if (!stored || stored.email.toLowerCase() !== user.email.toLowerCase()) throw invalid();
    const retryAfter = deps.config.otpResendIntervalSeconds;
    if (stored.attempts >= max) throw exhausted(retryAfter);
    if (stored.expiresAt.getTime() <= deps.now().getTime()) throw expired();

    const presented = hashCode(deps.codeKey, { userId: user.id, email: stored.email }, input.code);
    if (!sameHash(presented, stored.codeHash)) {
      if (!(await countWrongTry(em, user.id, stored.codeHash, max))) throw exhausted(retryAfter);
      throw invalid();
    }

    const verifiedAt = deps.now();
    const verified = await em.transactional(async (tx) => {
      if (!(await consumeCode(tx, user.id, stored.codeHash, max))) return undefined;
      const row = await markEmailVerified(tx, user.id);
      recordUserEmailVerified(tx, user.id, verifiedAt);
      return row;
    });
    if (verified) return userView(verified);
    // Lost a race: the code was used up, replaced, exhausted or expired meanwhile.
    const now = await findCode(em, user.id);
    if (now && now.attempts >= max) throw exhausted(retryAfter);
    if (now && now.expiresAt.getTime() <= deps.now().getTime()) throw expired();
    throw invalid();
  };
}
