// A user as this service knows them: the replica that validates addressees and fills each UserSummary
// without a call to the profile service per row.
import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

export const KnownUserEntity = defineEntity({
  name: "KnownUser",
  tableName: "known_user",
  properties: {
    id: p.uuid().primary(),
    username: p.text(),
    displayName: p.text().fieldName("display_name").default(""),
    avatarUrl: p.text().fieldName("avatar_url").default(""),
    /** updated_at of the last profile.updated applied; null until one arrives. */
    profileUpdatedAt: p.datetime().nullable().fieldName("profile_updated_at"),
    /** Set when the user was deleted: the row is then a tombstone that nothing revives. */
    deletedAt: p.datetime().nullable().fieldName("deleted_at"),
  },
});

/** A known_user row, as the ORM reads and writes it. */
export type KnownUser = InferEntity<typeof KnownUserEntity>;

/** What a friendship shows of each party. */
export type UserSummary = Pick<KnownUser, "id" | "username" | "displayName" | "avatarUrl">;
