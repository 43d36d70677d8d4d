// Sessions and their refresh-token families. Rotation is one compare-and-set statement: of N parallel
// presentations of one refresh token exactly one finds `spent_at is null`.
import type { EntityManager } from "@mikro-orm/postgresql";
import { RefreshTokenEntity, SessionEntity } from "./session.entity.ts";
import { sql, toDate } from "./sql.ts";

/** Who is using a session: shown to its owner in the session list. */
export interface SessionClient {
  userAgent: string;
  clientAddress: string;
}

/** What is kept of a User-Agent header. */
const USER_AGENT_MAX = 256;
export const sessionClient = (userAgent: string | null | undefined, clientAddress: string): SessionClient => ({
  userAgent: (userAgent ?? "").slice(0, USER_AGENT_MAX),
  clientAddress: clientAddress.slice(0, 64),
});

/** A session that ended, for its session.revoked event. */
export interface EndedSession {
  id: string;
  user_id: string;
}

/** Starts a session with its first refresh token: one round trip. */
export async function startSession(
  em: EntityManager,
  session: { id: string; userId: string; expiresAt: Date; refreshJti: string; client?: SessionClient },
): Promise<void> {
  await sql(
    em,
    `with s as (
       insert into auth_session (id, user_id, created_at, expires_at, last_used_at, user_agent, client_address)
       values (?, ?, now(), ?, now(), ?, ?) returning id
     )
     insert into refresh_token (jti, session_id, issued_at) select ?, id, now() from s returning jti`,
    [
      session.id,
      session.userId,
      session.expiresAt,
      session.client?.userAgent ?? "",
      session.client?.clientAddress ?? "",
      session.refreshJti,
    ],
  );
}

export interface RotatedSession {
  session_id: string;
  session_expires_at: Date;
  user_id: string;
  username: string;
  email_verified: boolean;
}

/**
 * Spends `jti` and records its successor, atomically, if the token is unspent and its session is alive.
 * Undefined otherwise (spent, revoked, expired or unknown).
 */
export async function rotateRefreshToken(
  em: EntityManager,
  jti: string,
  successorJti: string,
  client: SessionClient,
): Promise<RotatedSession | undefined> {
  const [row] = await sql<RotatedSession>(
    em,
    `with spent as (
       update refresh_token r set spent_at = now()
       from auth_session s join app_user u on u.id = s.user_id
       where r.jti = ? and r.spent_at is null and s.id = r.session_id and s.revoked_at is null and s.expires_at > now()
       returning r.session_id, s.expires_at as session_expires_at, u.id as user_id, u.username, u.email_verified
     ), successor as (
       insert into refresh_token (jti, session_id, issued_at) select ?, session_id, now() from spent returning jti
     ), touched as (
       update auth_session s set last_used_at = now(), user_agent = ?, client_address = ?
       from spent where s.id = spent.session_id returning s.id
     )
     select spent.* from spent, successor, touched`,
    [jti, successorJti, client.userAgent, client.clientAddress],
  );
  return row && { ...row, session_expires_at: toDate(row.session_expires_at) };
}

/** Revokes the session a refresh token belongs to (logout): the session, if it was alive. */
export async function revokeSessionOf(em: EntityManager, jti: string): Promise<EndedSession | undefined> {
  const [row] = await sql<EndedSession>(
    em,
    `update auth_session s set revoked_at = now() from refresh_token r
     where r.jti = ? and s.id = r.session_id and s.revoked_at is null and s.expires_at > now() returning s.id, s.user_id`,
    [jti],
  );
  return row;
}

/** Revokes the session whose spent token has been replayed, even when already expired; the session if this revoked it. */
export async function revokeSessionOnReplay(em: EntityManager, jti: string): Promise<EndedSession | undefined> {
  const [row] = await sql<EndedSession>(
    em,
    `update auth_session s set revoked_at = now() from refresh_token r
     where r.jti = ? and r.spent_at is not null and s.id = r.session_id and s.revoked_at is null returning s.id, s.user_id`,
    [jti],
  );
  return row;
}

/**
 * Revokes every live session of a user but `keep` (if given). Raw SQL: the events must name exactly the
 * sessions this statement ended, which only `update ... returning` tells atomically.
 */
export async function revokeSessionsOfUser(em: EntityManager, userId: string, keep?: string): Promise<EndedSession[]> {
  return sql<EndedSession>(
    em,
    `update auth_session set revoked_at = now()
     where user_id = ? and revoked_at is null and expires_at > now() ${keep ? "and id <> ?" : ""} returning id, user_id`,
    keep ? [userId, keep] : [userId],
  );
}

/** Revokes one live session of this user; false when it is unknown, someone else's, revoked or past its lifetime. */
export async function revokeOwnSession(em: EntityManager, userId: string, sessionId: string): Promise<boolean> {
  const now = new Date();
  const changed = await em.nativeUpdate(
    SessionEntity,
    { id: sessionId, userId, revokedAt: null, expiresAt: { $gt: now } },
    { revokedAt: now },
  );
  return changed > 0;
}

/** The user's live sessions (not revoked, not past their lifetime, refreshed within `idleSeconds`), newest first. */
export async function listLiveSessions(em: EntityManager, userId: string, idleSeconds: number) {
  const now = Date.now();
  return em.find(
    SessionEntity,
    {
      userId,
      revokedAt: null,
      expiresAt: { $gt: new Date(now) },
      lastUsedAt: { $gt: new Date(now - idleSeconds * 1000) },
    },
    { orderBy: { createdAt: "desc", id: "desc" } },
  );
}

/**
 * Gives a live session a new first refresh token: every refresh token issued before is deleted (not spent,
 * so presenting one later is simply unknown and does not look like a replay that would end the session).
 */
export async function restartRefreshTokens(em: EntityManager, sessionId: string, refreshJti: string): Promise<void> {
  await em.nativeDelete(RefreshTokenEntity, { sessionId });
  em.create(RefreshTokenEntity, { jti: refreshJti, sessionId, issuedAt: new Date(), spentAt: null });
  await em.flush();
  await em.nativeUpdate(SessionEntity, { id: sessionId }, { lastUsedAt: new Date() });
}
