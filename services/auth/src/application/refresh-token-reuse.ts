// Refresh-token reuse revokes the session. A refresh token is spent by its first use; a spent one presented
// again means someone holds a copy (domain/refresh-token-reuse.ts), so the whole session dies: the thief's
// copy and the owner's successor both stop working (replay detection), even when the session had already
// expired. Other sessions of the user are untouched.
import type { SecurityLog } from "@identity/shared/security/security-log.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { isRefreshTokenReuse } from "../domain/refresh-token-reuse.ts";
import { findRefreshToken, revokeSessionOnce } from "../persistence/session.repository.ts";
import type { Origin } from "./request-origin.ts";
import { type SessionsEndedDeps, sessionsEnded } from "./sessions-ended.ts";

export interface RefreshTokenReuseDeps extends SessionsEndedDeps {
  orm: MikroORM;
  securityLog: SecurityLog;
}

/** When `jti` is a spent refresh token, revokes its session (once): true when this call revoked it. */
export function refreshTokenReuseRevokesSession(deps: RefreshTokenReuseDeps, jti: string, origin: Origin = {}): Promise<boolean> {
  return deps.orm.em.fork().transactional(async (tx) => {
    const token = await findRefreshToken(tx, jti);
    if (!token || !isRefreshTokenReuse(token)) return false;
    const ended = await revokeSessionOnce(tx, token.sessionId);
    if (!ended) return false;
    deps.securityLog.record(securityEvents.refreshTokenReused, { userId: ended.userId, ...origin });
    sessionsEnded(deps, tx, [ended], "refresh_token_reuse", origin);
    return true;
  });
}
