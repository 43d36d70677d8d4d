// Profiles by user id. Creation is `insert ... on conflict do nothing`, so the first read, an edit and
// user.registered may race to create the same profile and exactly one of them does.
import { type EntityManager, LockMode } from "@mikro-orm/core";
import type { ProfileState, UserSummary } from "../domain/profile.ts";
import { ProfileEntity, type ProfileRow } from "./profile.entity.ts";

const sql = (em: EntityManager) => ({
  run: (query: string, params: unknown[]) =>
    em.getConnection().execute(query, params, "all", em.getTransactionContext()) as Promise<Record<string, unknown>[]>,
});

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

/** Inserts the profile unless one exists; true when this call created it. */
export async function insertIfMissing(em: EntityManager, profile: ProfileState): Promise<boolean> {
  const rows = await sql(em).run(
    `insert into profile (user_id, username, display_name, first_name, last_name, bio, avatar_url,
       first_name_edited, last_name_edited, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (user_id) do nothing
     returning user_id`,
    [
      profile.userId,
      profile.username,
      profile.displayName,
      profile.firstName,
      profile.lastName,
      profile.bio,
      profile.avatarUrl,
      profile.firstNameEdited,
      profile.lastNameEdited,
      profile.createdAt,
      profile.updatedAt,
    ],
  );
  return rows.length === 1;
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
  const rows = await sql(em).run("select user_id, username, display_name, avatar_url from profile where user_id in (?)", [userIds]);
  return rows.map(summaryOf);
}

export function summaryOf(row: Record<string, unknown>): UserSummary {
  return {
    id: String(row.user_id),
    username: String(row.username),
    displayName: String(row.display_name),
    avatarUrl: String(row.avatar_url),
  };
}
