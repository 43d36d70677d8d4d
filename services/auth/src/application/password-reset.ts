// Password reset by a single-use link. The request answers the same, in the same time, for any address: it
// queues one mail row; after the answer the composer stores a token only if the account exists and no link
// went out in the last minute (lifecycle-mail.ts). Confirming spends the token (single use, also under races), sets the password
// (register's policy), ends every session and marks the address verified: the link proved it.
import { invalidArgument } from "@identity/shared/errors.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import { passwordProblem } from "../domain/password-policy.ts";
import { hashResetToken } from "../domain/reset-token.ts";
import { findResetTarget, spendResetToken } from "../persistence/password-reset.repository.ts";
import { revokeSessionsOfUser } from "../persistence/session.repository.ts";
import { setPasswordHash } from "../persistence/user.repository.ts";
import { recordUserEmailVerified, recordUserPasswordChanged } from "../persistence/user-events.ts";
import { deleteCode } from "../persistence/verification-code.repository.ts";
import type { AuthDeps } from "./auth-deps.ts";
import { queuePasswordResetMail } from "./lifecycle-mail.ts";
import { hit, keys, rateLimited } from "./rate-limiter.ts";
import { sessionsEnded } from "./sessions.ts";

export const resetTokenInvalid = () =>
  invalidArgument("RESET_TOKEN_INVALID", "This reset link is invalid or has expired. Ask for a new one.", "token");

export async function requestPasswordReset(deps: AuthDeps, input: { email: string; client: string }): Promise<void> {
  const em = deps.orm.em.fork();
  const retryAfter = await hit(em, keys.passwordResetClient(input.client), deps.config.limits.passwordResetsPerClient);
  if (retryAfter !== undefined) throw rateLimited(retryAfter);
  // The composer (after the answer) finds the account, if any, and makes the token.
  await em.transactional((tx) => queuePasswordResetMail(deps, tx, input.email));
}

export async function confirmPasswordReset(
  deps: AuthDeps,
  input: { token: string; newPassword: string; client: string; requestId?: string },
): Promise<void> {
  const em = deps.orm.em.fork();
  const tokenHash = hashResetToken(input.token);
  const target = await findResetTarget(em, tokenHash);
  if (!target || target.expires_at.getTime() <= Date.now()) throw resetTokenInvalid();
  const problem = passwordProblem(input.newPassword, target);
  if (problem) throw invalidArgument("PASSWORD_TOO_COMMON", problem, "new_password");
  const passwordHash = await deps.hasher.hash(input.newPassword);
  const changedAt = new Date();
  await em.transactional(async (tx) => {
    if (!(await spendResetToken(tx, tokenHash))) throw resetTokenInvalid();
    await setPasswordHash(tx, target.user_id, passwordHash, true);
    if (!target.email_verified) {
      await deleteCode(tx, target.user_id);
      recordUserEmailVerified(tx, target.user_id, changedAt);
    }
    recordUserPasswordChanged(tx, target.user_id, "reset", changedAt);
    sessionsEnded(deps, tx, await revokeSessionsOfUser(tx, target.user_id), "password_reset", input);
  });
  deps.securityLog.record(securityEvents.passwordReset, { userId: target.user_id, client: input.client, requestId: input.requestId });
}
