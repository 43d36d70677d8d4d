// The current password, asked again before a sensitive change (password or email change, deletion). It is
// checked exactly like a login, in the same per-account and per-client windows and counted first (the attempt
// is reserved before the hash is checked, given back on success), so these endpoints give an attacker holding
// a stolen access token no extra guesses, whatever the concurrency.
import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { invalidArgument } from "@identity/shared/errors.ts";
import { releaseFromBucket } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { reserveLoginAttempt, type UserRecord } from "../persistence/user.repository.ts";
import type { AuthDeps } from "./auth-deps.ts";
import { currentWindow, keys, rateLimited } from "./rate-limiter.ts";

export const passwordIncorrect = (field: string) => invalidArgument("PASSWORD_INCORRECT", "The password is not correct.", field);

/** The caller's account once `password` is its password; PASSWORD_INCORRECT (counted) or RATE_LIMITED otherwise. */
export async function checkCurrentPassword(
  deps: AuthDeps,
  em: EntityManager,
  caller: Caller,
  input: { password: string; client: string; requestId?: string; field: string },
): Promise<UserRecord> {
  const { loginFailuresPerAccount: perAccount, loginFailuresPerClient: perClient } = deps.config.limits;
  const accountWindow = currentWindow(perAccount);
  const clientWindow = currentWindow(perClient);
  const clientKey = keys.loginClient(input.client);
  // The username never changes, so it finds the caller's account with the login's own statement.
  const attempt = await reserveLoginAttempt(em, caller.username, {
    accountKeyPrefix: keys.loginAccountPrefix,
    clientKey,
    accountWindow: accountWindow.start,
    clientWindow: clientWindow.start,
    accountLimit: perAccount.limit,
    clientLimit: perClient.limit,
  });
  if (attempt.clientCount === undefined) throw rateLimited(clientWindow.remainingSeconds);
  const accountKey = keys.loginAccountPrefix + (attempt.user ? attempt.user.id : caller.username.toLowerCase());
  if (attempt.accountCount === undefined) {
    await releaseFromBucket(em, clientKey, clientWindow.start);
    throw rateLimited(accountWindow.remainingSeconds);
  }
  const user = attempt.user;
  if (!user || user.id !== caller.userId) {
    await Promise.all([releaseFromBucket(em, clientKey, clientWindow.start), releaseFromBucket(em, accountKey, accountWindow.start)]);
    throw accountDeleted();
  }
  if (!(await deps.hasher.verify(user.password_hash, input.password))) {
    deps.securityLog.record(securityEvents.loginFailed, { userId: user.id, client: input.client, requestId: input.requestId });
    throw passwordIncorrect(input.field);
  }
  await Promise.all([releaseFromBucket(em, clientKey, clientWindow.start), releaseFromBucket(em, accountKey, accountWindow.start)]);
  const { password_hash: _, ...record } = user;
  return record;
}
