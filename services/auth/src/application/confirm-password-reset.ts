// Password reset by a single-use link, second step: confirming spends the token (single use, also under
// races), sets the password (register's policy), ends every session and marks the address verified: the
// link proved it.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { passwordProblem } from "../domain/password-policy.ts";
import { hashResetToken } from "../domain/reset-token.ts";
import { recordUserEmailVerified, recordUserPasswordChanged } from "../events/published.ts";
import { findResetTarget, spendResetToken } from "../persistence/password-reset.repository.ts";
import { revokeSessionsOfUser } from "../persistence/session.repository.ts";
import { setPasswordHash } from "../persistence/user.repository.ts";
import { deleteCode } from "../persistence/verification-code.repository.ts";
import type { PasswordHasher } from "./ports.ts";
import { type SessionsEndedDeps, sessionsEnded } from "./sessions-ended.ts";

export const resetTokenInvalid = () => domainError(ErrorReason.RESET_TOKEN_INVALID, { field: "token" });

export interface ConfirmPasswordResetDeps extends SessionsEndedDeps {
  orm: MikroORM;
  now: () => Date;
  hasher: Pick<PasswordHasher, "hash">;
}

export function confirmPasswordReset(deps: ConfirmPasswordResetDeps) {
  return async (input: { token: string; newPassword: string; client: string; requestId?: string }): Promise<void> => {
    const em = deps.orm.em.fork();
    const tokenHash = hashResetToken(input.token);
    const target = await findResetTarget(em, tokenHash);
    if (!target || target.token.expiresAt.getTime() <= deps.now().getTime()) throw resetTokenInvalid();
    const { user } = target;
    const problem = passwordProblem(input.newPassword, user);
    if (problem) throw domainError(ErrorReason.PASSWORD_TOO_COMMON, { variant: problem.variant, field: "new_password" });
    const passwordHash = await deps.hasher.hash(input.newPassword);
    const changedAt = deps.now();
    await em.transactional(async (tx) => {
      if (!(await spendResetToken(tx, tokenHash))) throw resetTokenInvalid();
      await setPasswordHash(tx, user.id, passwordHash, true);
      if (!user.emailVerified) {
        await deleteCode(tx, user.id);
        recordUserEmailVerified(tx, user.id, changedAt);
      }
      recordUserPasswordChanged(tx, user.id, "reset", changedAt);
      sessionsEnded(deps, tx, await revokeSessionsOfUser(tx, user.id), "password_reset", input);
    });
    deps.securityLog.record(securityEvents.passwordReset, { userId: user.id, client: input.client, requestId: input.requestId });
  };
}
