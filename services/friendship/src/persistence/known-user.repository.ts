// The user replica. Every write is an upsert that is safe to repeat and to receive out of order.
import type { EntityManager } from "@mikro-orm/core";
import { query } from "./sql.ts";

export interface UserSummaryRow {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string;
}

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
async function insertIfMissing(em: EntityManager, user: { id: string; username: string }): Promise<void> {
  await query(em, "insert into known_user (id, username, display_name) values (?, ?, ?) on conflict (id) do nothing", [
    user.id,
    user.username,
    user.username,
  ]);
}

/** The caller is known from their verified token (sub, username) even before user.registered reaches us. */
export const ensureUserFromClaims = insertIfMissing;

/** user.registered: creates the row; a row that already exists (from claims or a profile) keeps its data. */
export const applyUserRegistered = insertIfMissing;

/**
 * profile.updated carries the whole current state: it replaces the row only when it is newer than the
 * state already applied, so a redelivered or reordered older event never regresses the replica.
 */
export async function applyProfileUpdated(em: EntityManager, profile: ProfileState): Promise<boolean> {
  const rows = await query<{ id: string }>(
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

export async function userExists(em: EntityManager, id: string): Promise<boolean> {
  return (await query(em, "select 1 from known_user where id = ? and deleted_at is null", [id])).length > 0;
}

export async function findUserSummaries(em: EntityManager, ids: readonly string[]): Promise<Map<string, UserSummaryRow>> {
  const rows = await query<{ id: string; username: string; display_name: string; avatar_url: string }>(
    em,
    "select id, username, display_name, avatar_url from known_user where id in (?)",
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username, displayName: r.display_name, avatarUrl: r.avatar_url }]));
}

/**
 * user.deleted: the row becomes a tombstone (created if the user was never seen), its summary cleared. Raw
 * SQL: one upsert, so that a concurrent insert from claims or profile.updated either comes first and is
 * overwritten, or comes after and finds the tombstone.
 */
export async function markUserDeleted(em: EntityManager, id: string, deletedAt: Date): Promise<void> {
  await query(
    em,
    `insert into known_user (id, username, display_name, avatar_url, deleted_at) values (?, '', '', '', ?)
     on conflict (id) do update set username = '', display_name = '', avatar_url = '', deleted_at = excluded.deleted_at`,
    [id, deletedAt],
  );
}
