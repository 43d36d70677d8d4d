// Account deletion by its owner (with the password). The account row goes (sessions, refresh tokens, codes
// and reset tokens with it, by cascade), username and email are free at once, and user.deleted tells the
// other services to drop what they hold and to refuse the account's still-unexpired access tokens.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { recordUserDeleted } from "../events/published.ts";
import { deleteUser } from "../persistence/user.repository.ts";
import { type CurrentPasswordDeps, checkCurrentPassword } from "./current-password.ts";

export interface DeleteAccountDeps extends CurrentPasswordDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "limits" | "accessTokenTtlSeconds">;
}

export function deleteAccount(deps: DeleteAccountDeps) {
  return async (caller: Caller, input: { password: string; client: string; requestId?: string }): Promise<void> => {
    const em = deps.orm.em.fork();
    const user = await checkCurrentPassword(deps, em, caller, { ...input, field: "password" });
    await em.transactional(async (tx) => {
      if (await deleteUser(tx, user.id)) recordUserDeleted(tx, user.id, "requested", deps.config.accessTokenTtlSeconds, deps.now());
    });
    deps.securityLog.record(securityEvents.accountDeleted, { userId: user.id, client: input.client, requestId: input.requestId });
  };
}
