// Sessions: refresh-token rotation, logout, the session list, revoking one, logging out everywhere. A refresh
// token is spent by its first use; presenting a spent one revokes its whole session, so a thief's copy and the
// owner's successor both die (replay detection). Every session that ends writes session.revoked in the same
// transaction, so that every service refuses its access tokens too (services/shared revocation list).
import type { Caller } from "@identity/shared/auth/caller.ts";
import { notFound } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import {
  type EndedSession,
  listLiveSessions,
  revokeOwnSession,
  revokeSessionOf,
  revokeSessionOnReplay,
  revokeSessionsOfUser,
  rotateRefreshToken,
  type SessionClient,
} from "../persistence/session.repository.ts";
import { type RevocationReason, recordSessionsRevoked } from "../persistence/user-events.ts";
import type { AuthDeps, Origin } from "./auth-deps.ts";
import { type TokenPair, tokenNotValid } from "./token-issuer.ts";

export const sessionNotFound = () => notFound("SESSION_NOT_FOUND", "No such session.");

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string;
  clientAddress: string;
  current: boolean;
}

/** Records session.revoked for sessions just ended inside `em`'s transaction, and writes the security log. */
export function sessionsEnded(
  deps: Pick<AuthDeps, "config" | "securityLog">,
  em: Parameters<typeof recordSessionsRevoked>[0],
  ended: readonly EndedSession[],
  reason: RevocationReason,
  origin: Origin = {},
): void {
  recordSessionsRevoked(em, ended, reason, deps.config.accessTokenTtlSeconds);
  for (const session of ended) deps.securityLog.record(securityEvents.sessionRevoked, { userId: session.user_id, ...origin });
}

export async function refresh(deps: AuthDeps, token: string, client: SessionClient, origin: Origin = {}): Promise<TokenPair> {
  const { jti } = await deps.tokens.readRefresh(token);
  const em = deps.orm.em.fork();
  const successor = newId();
  const rotated = await rotateRefreshToken(em, jti, successor, client);
  if (!rotated) {
    await em.transactional(async (tx) => {
      const ended = await revokeSessionOnReplay(tx, jti);
      if (!ended) return;
      // A spent token presented again: someone holds a copy. Its whole session dies.
      deps.securityLog.record(securityEvents.refreshTokenReused, { userId: ended.user_id, ...origin });
      sessionsEnded(deps, tx, [ended], "refresh_token_reuse", origin);
    });
    throw tokenNotValid();
  }
  return deps.tokens.issue(
    { userId: rotated.user_id, username: rotated.username, emailVerified: rotated.email_verified },
    { id: rotated.session_id, refreshJti: successor, expiresAt: rotated.session_expires_at },
  );
}

export async function logout(deps: AuthDeps, token: string, origin: Origin = {}): Promise<void> {
  const { jti } = await deps.tokens.readRefresh(token);
  const ended = await deps.orm.em.fork().transactional(async (tx) => {
    const session = await revokeSessionOf(tx, jti);
    if (session) sessionsEnded(deps, tx, [session], "logout", origin);
    return session;
  });
  if (!ended) throw tokenNotValid();
}

export async function listSessions(deps: AuthDeps, caller: Caller): Promise<SessionView[]> {
  const rows = await listLiveSessions(deps.orm.em.fork(), caller.userId, deps.config.refreshTokenTtlSeconds);
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt,
    lastUsedAt: s.lastUsedAt,
    userAgent: s.userAgent,
    clientAddress: s.clientAddress,
    current: s.id === caller.sessionId,
  }));
}

export async function revokeSession(deps: AuthDeps, caller: Caller, sessionId: string, origin: Origin = {}): Promise<void> {
  const revoked = await deps.orm.em.fork().transactional(async (tx) => {
    if (!(await revokeOwnSession(tx, caller.userId, sessionId))) return false;
    sessionsEnded(deps, tx, [{ id: sessionId, user_id: caller.userId }], "revoked", origin);
    return true;
  });
  if (!revoked) throw sessionNotFound();
}

export async function logoutAll(deps: AuthDeps, caller: Caller, origin: Origin = {}): Promise<void> {
  await deps.orm.em.fork().transactional(async (tx) => {
    sessionsEnded(deps, tx, await revokeSessionsOfUser(tx, caller.userId), "logout_all", origin);
  });
}
