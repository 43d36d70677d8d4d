// Count first: a password is checked only after the attempt is reserved in the account's and the client's
// failure windows (one statement finds the account and reserves both, each only below its limit). Login and
// every "type your current password again" check go through here, so neither gives an attacker more guesses.
import { releaseFromBucket } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { reserveLoginAttempt, type UserRow } from "../persistence/user.repository.ts";
import { currentWindow, keys, rateLimited } from "./rate-limiter.ts";

export interface LoginAttemptDeps {
  config: Pick<AuthConfig, "limits">;
}

export interface ReservedLoginAttempt {
  /** The account the username (or email) names, with its hash; undefined when there is none. */
  user: UserRow | undefined;
  /** The failures counted in each window with this attempt: a count equal to the limit is the lockout. */
  accountCount: number;
  clientCount: number;
  /** Gives both reservations back: the windows count failures, not successes. */
  release(): Promise<void>;
}

/** Reserves one attempt for `username` from `client`; 429 RATE_LIMITED (with retry-after) past either limit. */
export async function reserveLoginAttemptOrRefuse(
  deps: LoginAttemptDeps,
  em: EntityManager,
  username: string,
  client: string,
): Promise<ReservedLoginAttempt> {
  const { loginFailuresPerAccount: perAccount, loginFailuresPerClient: perClient } = deps.config.limits;
  const accountWindow = currentWindow(perAccount);
  const clientWindow = currentWindow(perClient);
  const clientKey = keys.loginClient(client);
  const attempt = await reserveLoginAttempt(em, username, {
    accountKeyPrefix: keys.loginAccountPrefix,
    clientKey,
    accountWindow: accountWindow.start,
    clientWindow: clientWindow.start,
    accountLimit: perAccount.limit,
    clientLimit: perClient.limit,
  });
  if (attempt.clientCount === undefined) throw rateLimited(clientWindow.remainingSeconds);
  if (attempt.accountCount === undefined) {
    await releaseFromBucket(em, clientKey, clientWindow.start);
    throw rateLimited(accountWindow.remainingSeconds);
  }
  const accountKey = keys.loginAccountPrefix + (attempt.user ? attempt.user.id : username.toLowerCase());
  return {
    user: attempt.user,
    accountCount: attempt.accountCount,
    clientCount: attempt.clientCount,
    release: async () => {
      await Promise.all([releaseFromBucket(em, clientKey, clientWindow.start), releaseFromBucket(em, accountKey, accountWindow.start)]);
    },
  };
}
