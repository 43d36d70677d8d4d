// The current password, asked again before a sensitive change (password or email change, deletion). It is
// checked exactly like a login, in the same per-account and per-client windows and counted first (the attempt
// is reserved before the hash is checked, given back on success), so these endpoints give an attacker holding
// a stolen access token no extra guesses, whatever the concurrency.
import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { type SecurityLog, securityEvents } from "@identity/shared/security/security-log.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { UserRow } from "../persistence/user.repository.ts";
import { type LoginAttemptDeps, reserveLoginAttemptOrRefuse } from "./login-attempt.ts";
import type { PasswordHasher } from "./ports.ts";

export const passwordIncorrect = (field: string) => domainError(ErrorReason.PASSWORD_INCORRECT, { field });

export interface CurrentPasswordDeps extends LoginAttemptDeps {
  hasher: Pick<PasswordHasher, "verify">;
  securityLog: SecurityLog;
}

/** The caller's account once `password` is its password; PASSWORD_INCORRECT (counted) or RATE_LIMITED otherwise. */
export async function checkCurrentPassword(
  deps: CurrentPasswordDeps,
  em: EntityManager,
  caller: Caller,
  input: { password: string; client: string; requestId?: string; field: string },
): Promise<UserRow> {
  // The username never changes, so it finds the caller's account with the login's own statement.
  const attempt = await reserveLoginAttemptOrRefuse(deps, em, caller.username, input.client);
  const user = attempt.user;
  if (!user || user.id !== caller.userId) {
    await attempt.release();
    throw accountDeleted();
  }
  if (!(await deps.hasher.verify(user.passwordHash, input.password))) {
    deps.securityLog.record(securityEvents.loginFailed, { userId: user.id, client: input.client, requestId: input.requestId });
    throw passwordIncorrect(input.field);
  }
  await attempt.release();
  return user;
}
