// The user replica. Every write is an upsert that is safe to repeat and to receive out of order.
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import { KnownUserEntity, type UserSummary } from "./known-user.entity.ts";

export interface ProfileState {
  userId: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  /** The profile's updated_at as an RFC 3339 string with up to microseconds (PostgreSQL's precision). */
  updatedAt: string;
}

/**
 * Creates the row unless it exists. Until a profile.updated arrives, the display name is the username: the
 * profile service's own default for a new profile, so a summary looks the same before and after it lands.
 * The username is immutable on the platform, so an existing row is left as it is.
 */
export async function insertUserIfMissing(em: SqlEntityManager, user: { id: string; username: string }): Promise<void> {
  await em
    .createQueryBuilder(KnownUserEntity)
    .insert({ id: user.id, username: user.username, displayName: user.username })
    .onConflict("id")
    .ignore()
    .execute();
}

/**
 * Replaces the row with a profile's whole current state only when it is newer than the state already
 * applied, so a redelivered or reordered older profile.updated never regresses the replica; true if applied.
 */
export async function upsertProfileIfNewer(em: SqlEntityManager, profile: ProfileState): Promise<boolean> {
  // Conditional upsert: "newer than the applied state, and no tombstone?" is decided and written under the row lock.
  const rows = await atomicSql<{ id: string }>(
    em,
    `insert into known_user (id, username, display_name, avatar_url, profile_updated_at)
     values (?, ?, ?, ?, ?::timestamptz)
     on conflict (id) do update set
       username = excluded.username,
       display_name = excluded.display_name,
       avatar_url = excluded.avatar_url,
       profile_updated_at = excluded.profile_updated_at
     where known_user.deleted_at is null
       and (known_user.profile_updated_at is null or known_user.profile_updated_at < excluded.profile_updated_at)
     returning id`,
    [profile.userId, profile.username, profile.displayName, profile.avatarUrl, profile.updatedAt],
  );
  return rows.length > 0;
}

/** Known and not deleted. */
export async function userExists(em: SqlEntityManager, id: string): Promise<boolean> {
  return (await em.count(KnownUserEntity, { id, deletedAt: null })) > 0;
}

export async function findUserSummaries(em: SqlEntityManager, ids: readonly string[]): Promise<Map<string, UserSummary>> {
  const users = await em.find(
    KnownUserEntity,
    { id: { $in: [...ids] } },
    { fields: ["id", "username", "displayName", "avatarUrl"], disableIdentityMap: true },
  );
  return new Map(users.map((u) => [u.id, { id: u.id, username: u.username, displayName: u.displayName, avatarUrl: u.avatarUrl }]));
}

/**
 * user.deleted: the row becomes a tombstone (created if the user was never seen), its summary cleared. One
 * upsert, so that a concurrent insert from claims or profile.updated either comes first and is overwritten,
 * or comes after and finds the tombstone.
 */
export async function markUserDeleted(em: SqlEntityManager, id: string, deletedAt: Date): Promise<void> {
  await em
    .createQueryBuilder(KnownUserEntity)
    .insert({ id, username: "", displayName: "", avatarUrl: "", deletedAt })
    .onConflict("id")
    .merge(["username", "displayName", "avatarUrl", "deletedAt"])
    .execute();
}
