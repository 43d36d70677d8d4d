// Ends one of the caller's own live sessions; SESSION_NOT_FOUND for anything else (unknown, someone else's,
// already ended), so the answer tells nothing about other accounts' sessions.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { revokeOwnSession } from "../persistence/session.repository.ts";
import type { Origin } from "./request-origin.ts";
import { type SessionsEndedDeps, sessionsEnded } from "./sessions-ended.ts";

export const sessionNotFound = () => domainError(ErrorReason.SESSION_NOT_FOUND);

export interface RevokeSessionDeps extends SessionsEndedDeps {
  orm: MikroORM;
}

export function revokeSession(deps: RevokeSessionDeps) {
  return async (caller: Caller, sessionId: string, origin: Origin = {}): Promise<void> => {
    const revoked = await deps.orm.em.fork().transactional(async (tx) => {
      if (!(await revokeOwnSession(tx, caller.userId, sessionId))) return false;
      sessionsEnded(deps, tx, [{ id: sessionId, userId: caller.userId }], "revoked", origin);
      return true;
    });
    if (!revoked) throw sessionNotFound();
  };
}
