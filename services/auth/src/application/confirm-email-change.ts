// Change of address, second step: the right code switches the address (verified) and writes
// user.email_changed; wrong tries are counted atomically against that very code, as for verification.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { type SecurityLog, securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { hashCode, sameHash } from "../domain/verification-code.ts";
import { recordUserEmailChanged } from "../events/published.ts";
import { switchEmail } from "../persistence/user.repository.ts";
import { consumeCode, countWrongTry, deleteCode, findCode } from "../persistence/verification-code.repository.ts";
import { type UserView, userView } from "./user-view.ts";
import { exhausted, expired, invalid } from "./verify-email.ts";

export interface ConfirmEmailChangeDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "otpMaxAttempts" | "otpResendIntervalSeconds">;
  /** HMAC key of the codes. */
  codeKey: Buffer;
  securityLog: SecurityLog;
}

export function confirmEmailChange(deps: ConfirmEmailChangeDeps) {
  return async (caller: Caller, input: { code: string; client: string; requestId?: string }): Promise<UserView> => {
    const em = deps.orm.em.fork();
    const max = deps.config.otpMaxAttempts;
    const retryAfter = deps.config.otpResendIntervalSeconds;
    const stored = await findCode(em, caller.userId, "email_change");
    if (!stored) throw invalid();
    if (stored.attempts >= max) throw exhausted(retryAfter);
    if (stored.expiresAt.getTime() <= deps.now().getTime()) throw expired();
    const presented = hashCode(deps.codeKey, { userId: caller.userId, email: stored.email }, input.code);
    if (!sameHash(presented, stored.codeHash)) {
      if (!(await countWrongTry(em, caller.userId, stored.codeHash, max, "email_change"))) throw exhausted(retryAfter);
      throw invalid();
    }
    const changedAt = deps.now();
    const user = await em.transactional(async (tx) => {
      // Lost a race (used up, replaced, exhausted or expired meanwhile): the code is no longer good.
      if (!(await consumeCode(tx, caller.userId, stored.codeHash, max, "email_change"))) throw invalid();
      const row = await switchEmail(tx, caller.userId, stored.email, "code");
      await deleteCode(tx, caller.userId); // a verification code for the old address is moot now
      recordUserEmailChanged(tx, caller.userId, row.email, changedAt);
      return row;
    });
    deps.securityLog.record(securityEvents.emailChanged, { userId: caller.userId, client: input.client, requestId: input.requestId });
    return userView(user);
  };
}
