// The current password, asked again before a sensitive change (password or email change, deletion). It is
// checked exactly like a login, in the same per-account and per-client windows and counted first (the attempt
// is reserved before the hash is checked, given back on success), so these endpoints give an attacker holding
// a stolen access token no extra guesses, whatever the concurrency.
import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { invalidArgument } from "@identity/shared/errors.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { UserRecord } from "../persistence/user.repository.ts";
import type { AuthDeps } from "./auth-deps.ts";
import { reserveLoginAttemptOrRefuse } from "./login-attempt.ts";

export const passwordIncorrect = (field: string) => invalidArgument("PASSWORD_INCORRECT", "The password is not correct.", field);

/** The caller's account once `password` is its password; PASSWORD_INCORRECT (counted) or RATE_LIMITED otherwise. */
export async function checkCurrentPassword(
  deps: AuthDeps,
  em: EntityManager,
  caller: Caller,
  input: { password: string; client: string; requestId?: string; field: string },
): Promise<UserRecord> {
  // The username never changes, so it finds the caller's account with the login's own statement.
  const attempt = await reserveLoginAttemptOrRefuse(deps, em, caller.username, input.client);
  const user = attempt.user;
  if (!user || user.id !== caller.userId) {
    await attempt.release();
    throw accountDeleted();
  }
  if (!(await deps.hasher.verify(user.password_hash, input.password))) {
    deps.securityLog.record(securityEvents.loginFailed, { userId: user.id, client: input.client, requestId: input.requestId });
    throw passwordIncorrect(input.field);
  }
  await attempt.release();
  const { password_hash: _, ...record } = user;
  return record;
}
