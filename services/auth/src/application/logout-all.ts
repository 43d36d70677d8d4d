// Logs out everywhere: every live session of the caller ends, this one included.
import type { Caller } from "@identity/shared/auth/caller.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { revokeSessionsOfUser } from "../persistence/session.repository.ts";
import type { Origin } from "./request-origin.ts";
import { type SessionsEndedDeps, sessionsEnded } from "./sessions-ended.ts";

export interface LogoutAllDeps extends SessionsEndedDeps {
  orm: MikroORM;
}

export function logoutAll(deps: LogoutAllDeps) {
  return async (caller: Caller, origin: Origin = {}): Promise<void> => {
    await deps.orm.em.fork().transactional(async (tx) => {
      sessionsEnded(deps, tx, await revokeSessionsOfUser(tx, caller.userId), "logout_all", origin);
    });
  };
}
