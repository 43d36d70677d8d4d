// Account deletion: by its owner (with the password), or by the expiry of accounts never verified. One
// path for both: the account row goes (sessions, refresh tokens, codes and reset tokens with it, by cascade),
// username and email are free at once, and user.deleted tells the other services to drop what they hold
// and to refuse the account's still-unexpired access tokens.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import { deleteUser, findUnverifiedBefore } from "../persistence/user.repository.ts";
import { recordUserDeleted } from "../persistence/user-events.ts";
import type { AuthDeps } from "./auth-deps.ts";
import { checkCurrentPassword } from "./current-password.ts";

export async function deleteAccount(
  deps: AuthDeps,
  caller: Caller,
  input: { password: string; client: string; requestId?: string },
): Promise<void> {
  const em = deps.orm.em.fork();
  const user = await checkCurrentPassword(deps, em, caller, { ...input, field: "password" });
  await em.transactional(async (tx) => {
    if (await deleteUser(tx, user.id)) recordUserDeleted(tx, user.id, "requested", deps.config.accessTokenTtlSeconds);
  });
  deps.securityLog.record(securityEvents.accountDeleted, { userId: user.id, client: input.client, requestId: input.requestId });
}

/** Deletes up to `batch` accounts still unverified UNVERIFIED_ACCOUNT_TTL after registering; how many. */
export async function expireUnverifiedAccounts(deps: AuthDeps, now = new Date(), batch = 100): Promise<number> {
  const cutoff = new Date(now.getTime() - deps.config.unverifiedAccountTtlSeconds * 1000);
  const em = deps.orm.em.fork();
  let deleted = 0;
  for (const userId of await findUnverifiedBefore(em, cutoff, batch)) {
    // The condition is checked again by the delete itself: an account verified meanwhile stays.
    const gone = await em.fork().transactional(async (tx) => {
      if (!(await deleteUser(tx, userId, { unverifiedBefore: cutoff }))) return false;
      recordUserDeleted(tx, userId, "unverified_expired", deps.config.accessTokenTtlSeconds, now);
      return true;
    });
    if (gone) {
      deleted += 1;
      deps.securityLog.record(securityEvents.accountDeleted, { userId });
    }
  }
  return deleted;
}
