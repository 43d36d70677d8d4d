// Sessions and their refresh-token families. Rotation is one compare-and-set statement: of N parallel
// presentations of one refresh token exactly one finds it unspent.
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import type { EntityManager, InferKyselyDB, SqlEntityManager } from "@mikro-orm/postgresql";
import { RefreshTokenEntity, SessionEntity } from "./session.entity.ts";

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
  userId: string;
}

type SessionDatabase = InferKyselyDB<typeof SessionEntity | typeof RefreshTokenEntity>;

/**
 * Starts a session with its first refresh token: one typed statement (the session inserted, and its token
 * inserted from the row it returns), so a login pays one round trip here, not a transaction of four. In the
 * caller's transaction when there is one; what the caller's unit of work holds (a new user at registration) is
 * flushed first, since the session refers to it.
 */
export async function startSession(
  em: SqlEntityManager,
  session: { id: string; userId: string; expiresAt: Date; refreshJti: string; client?: SessionClient },
): Promise<void> {
  await em.flush();
  const now = new Date();
  await em
    .getKysely<SessionDatabase>()
    .with("s", (db) =>
      db
        .insertInto("auth_session")
        .values({
          id: session.id,
          user_id: session.userId,
          created_at: now,
          expires_at: session.expiresAt,
          last_used_at: now,
          user_agent: session.client?.userAgent ?? "",
          client_address: session.client?.clientAddress ?? "",
        })
        .returning("id"),
    )
    .insertInto("refresh_token")
    .columns(["jti", "session_id", "issued_at"])
    .expression((db) => db.selectFrom("s").select((eb) => [eb.val(session.refreshJti).as("jti"), "s.id", eb.val(now).as("issued_at")]))
    .execute();
}

export interface RotatedSession {
  sessionId: string;
  sessionExpiresAt: Date;
  userId: string;
  username: string;
  emailVerified: boolean;
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
  // Spend, successor and touch decided in one conditional statement: of parallel presentations exactly one rotates.
  const [row] = await atomicSql<{
    session_id: string;
    session_expires_at: Date | string;
    user_id: string;
    username: string;
    email_verified: boolean;
  }>(
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
  return (
    row && {
      sessionId: row.session_id,
      sessionExpiresAt: new Date(row.session_expires_at),
      userId: row.user_id,
      username: row.username,
      emailVerified: row.email_verified,
    }
  );
}

/** A refresh token as stored (its session, and when its first use spent it); undefined for an unknown one. */
export async function findRefreshToken(em: EntityManager, jti: string) {
  const token = await em.findOne(RefreshTokenEntity, { jti }, { fields: ["sessionId", "spentAt"], disableIdentityMap: true });
  return token ? { sessionId: token.sessionId, spentAt: token.spentAt ?? null } : undefined;
}

/**
 * Revokes the session if it is not revoked yet (and, with `liveAt`, not past its lifetime at that time): the
 * session when this call revoked it. Conditional, so that of parallel calls exactly one ends it.
 */
export async function revokeSessionOnce(em: EntityManager, sessionId: string, liveAt?: Date): Promise<EndedSession | undefined> {
  const session = await em.findOne(SessionEntity, { id: sessionId }, { fields: ["userId"], disableIdentityMap: true });
  if (!session) return undefined;
  const where = liveAt ? { id: sessionId, revokedAt: null, expiresAt: { $gt: liveAt } } : { id: sessionId, revokedAt: null };
  const changed = await em.nativeUpdate(SessionEntity, where, { revokedAt: new Date() });
  return changed === 1 ? { id: sessionId, userId: session.userId } : undefined;
}

/** Revokes the session a refresh token belongs to (logout): the session, if it was alive. */
export async function revokeSessionOf(em: EntityManager, jti: string): Promise<EndedSession | undefined> {
  const token = await findRefreshToken(em, jti);
  return token && revokeSessionOnce(em, token.sessionId, new Date());
}

/**
 * Revokes every live session of a user but `keep` (if given): the sessions this update ended (`returning`), so
 * that the events name exactly those.
 */
export async function revokeSessionsOfUser(em: EntityManager, userId: string, keep?: string): Promise<EndedSession[]> {
  const now = new Date();
  const rows: EndedSession[] = await em
    .createQueryBuilder(SessionEntity)
    .update({ revokedAt: now })
    .where({ userId, revokedAt: null, expiresAt: { $gt: now }, ...(keep ? { id: { $ne: keep } } : {}) })
    .returning(["id", "userId"])
    .execute("all");
  return rows.map((r) => ({ id: r.id, userId: r.userId }));
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

/** A live session of this user, if `sessionId` names one. */
export async function findLiveSession(em: EntityManager, userId: string, sessionId: string, now: Date) {
  return (await em.findOne(SessionEntity, { id: sessionId, userId, revokedAt: null, expiresAt: { $gt: now } })) ?? undefined;
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
