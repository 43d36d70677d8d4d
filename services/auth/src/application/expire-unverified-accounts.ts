// Accounts never verified are deleted UNVERIFIED_ACCOUNT_TTL after registering, the same way as a deletion by
// the owner (delete-account.ts): cascade, user.deleted, the security log. Every replica runs it; the
// conditional delete makes a second replica's pass a no-op.

import type { SecurityLog } from "@identity/shared/security/security-log.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { recordUserDeleted } from "../events/published.ts";
import { deleteUser, findUnverifiedBefore } from "../persistence/user.repository.ts";

export interface ExpireUnverifiedAccountsDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "unverifiedAccountTtlSeconds" | "accessTokenTtlSeconds">;
  securityLog: SecurityLog;
}

/** Deletes up to `batch` accounts still unverified UNVERIFIED_ACCOUNT_TTL after registering; how many. */
export function expireUnverifiedAccounts(deps: ExpireUnverifiedAccountsDeps) {
  return async (batch = 100): Promise<number> => {
    const now = deps.now();
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
  };
}
