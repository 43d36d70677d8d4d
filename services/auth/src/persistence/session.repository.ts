// Sessions and their refresh-token families. Rotation is one compare-and-set statement: of N parallel
// presentations of one refresh token exactly one finds `spent_at is null`.
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql, toDate } from "./sql.ts";

/** Starts a session with its first refresh token: one round trip. */
export async function startSession(
  em: EntityManager,
  session: { id: string; userId: string; expiresAt: Date; refreshJti: string },
): Promise<void> {
  await sql(
    em,
    `with s as (
       insert into auth_session (id, user_id, created_at, expires_at) values (?, ?, now(), ?) returning id
     )
     insert into refresh_token (jti, session_id, issued_at) select ?, id, now() from s returning jti`,
    [session.id, session.userId, session.expiresAt, session.refreshJti],
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
export async function rotateRefreshToken(em: EntityManager, jti: string, successorJti: string): Promise<RotatedSession | undefined> {
  const [row] = await sql<RotatedSession>(
    em,
    `with spent as (
       update refresh_token r set spent_at = now()
       from auth_session s join app_user u on u.id = s.user_id
       where r.jti = ? and r.spent_at is null and s.id = r.session_id and s.revoked_at is null and s.expires_at > now()
       returning r.session_id, s.expires_at as session_expires_at, u.id as user_id, u.username, u.email_verified
     ), successor as (
       insert into refresh_token (jti, session_id, issued_at) select ?, session_id, now() from spent returning jti
     )
     select spent.* from spent, successor`,
    [jti, successorJti],
  );
  return row && { ...row, session_expires_at: toDate(row.session_expires_at) };
}

/** Revokes the session a refresh token belongs to (logout, or the replay of a spent token). True if it was alive. */
export async function revokeSessionOf(em: EntityManager, jti: string): Promise<boolean> {
  const rows = await sql<{ id: string }>(
    em,
    `update auth_session s set revoked_at = now() from refresh_token r
     where r.jti = ? and s.id = r.session_id and s.revoked_at is null and s.expires_at > now() returning s.id`,
    [jti],
  );
  return rows.length > 0;
}

/**
 * Revokes the session of a replayed (spent) token: marks it revoked even when already expired. True when the
 * token was a spent one (a replay), false for an unknown or never-spent one (e.g. a revoked session's).
 */
export async function revokeSessionOnReplay(em: EntityManager, jti: string): Promise<boolean> {
  const rows = await sql<{ id: string }>(
    em,
    `update auth_session s set revoked_at = coalesce(s.revoked_at, now()) from refresh_token r
     where r.jti = ? and r.spent_at is not null and s.id = r.session_id returning s.id`,
    [jti],
  );
  return rows.length > 0;
}
