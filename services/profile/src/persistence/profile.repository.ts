// Profiles by user id, through the ORM. Creation is an insert that does nothing on conflict, so the first
// read, an edit and user.registered may race to create the same profile and exactly one of them does.
import { type EntityManager, LockMode } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { ProfileState, UserSummary } from "../domain/profile.ts";
import { ProfileEntity, type ProfileRow } from "./profile.entity.ts";
import type { ProfileDatabase } from "./profile-database.ts";

export function toState(row: ProfileRow): ProfileState {
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    firstName: row.firstName,
    lastName: row.lastName,
    bio: row.bio,
    avatarUrl: row.avatarUrl,
    firstNameEdited: row.firstNameEdited,
    lastNameEdited: row.lastNameEdited,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Inserts the profile unless one exists (`on conflict (user_id) do nothing`); true when this call created it. */
export async function insertIfMissing(em: EntityManager, profile: ProfileState): Promise<boolean> {
  // Every entity manager of this ORM is a PostgreSQL one; the consumer's effects are typed with the core one.
  const result = await (em as SqlEntityManager)
    .createQueryBuilder(ProfileEntity)
    .insert(profile)
    .onConflict("userId")
    .ignore()
    .execute("run");
  return result.affectedRows === 1;
}

/** Raw timestamps come back as text from the ORM's pool; hydration through the entity manager converts them. */
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * GetMyProfile's read, the hottest query of the service: one indexed select straight into a plain object,
 * without the entity manager's hydration, identity map and change-set snapshot (findOne cost 8 % of the
 * service's CPU under load). Only for reads that change nothing.
 */
export async function readProfileState(em: SqlEntityManager, userId: string): Promise<ProfileState | undefined> {
  const row = await em
    .getKysely<ProfileDatabase>()
    .selectFrom("profile")
    .select([
      "user_id",
      "username",
      "display_name",
      "first_name",
      "last_name",
      "bio",
      "avatar_url",
      "first_name_edited",
      "last_name_edited",
      "created_at",
      "updated_at",
    ])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    firstName: row.first_name,
    lastName: row.last_name,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    firstNameEdited: row.first_name_edited,
    lastNameEdited: row.last_name_edited,
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

export async function findProfile(em: EntityManager, userId: string): Promise<ProfileRow | null> {
  return em.findOne(ProfileEntity, { userId });
}

/** The profile, locked until the transaction ends: edits and user.registered apply one after the other. */
export async function lockProfile(em: EntityManager, userId: string): Promise<ProfileRow | null> {
  return em.findOne(ProfileEntity, { userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** Copies a new state onto a managed row; the flush at commit writes only what differs. */
export function assignState(row: ProfileRow, state: ProfileState): void {
  row.displayName = state.displayName;
  row.firstName = state.firstName;
  row.lastName = state.lastName;
  row.bio = state.bio;
  row.avatarUrl = state.avatarUrl;
  row.firstNameEdited = state.firstNameEdited;
  row.lastNameEdited = state.lastNameEdited;
  row.updatedAt = state.updatedAt;
}

/** Summaries of the given users, in no particular order; unknown ids are left out. */
export async function findSummaries(em: EntityManager, userIds: readonly string[]): Promise<UserSummary[]> {
  if (userIds.length === 0) return [];
  const rows = await em.find(
    ProfileEntity,
    { userId: { $in: [...userIds] } },
    { fields: ["userId", "username", "displayName", "avatarUrl"], disableIdentityMap: true },
  );
  return rows.map((row) => ({ id: row.userId, username: row.username, displayName: row.displayName, avatarUrl: row.avatarUrl }));
}
