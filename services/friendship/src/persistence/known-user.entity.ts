// A user as this service knows them: the replica that validates addressees and fills each UserSummary
// without a call to the profile service per row.
import { defineEntity, p } from "@mikro-orm/core";

export const KnownUserEntity = defineEntity({
  name: "KnownUser",
  tableName: "known_user",
  properties: {
    id: p.uuid().primary(),
    username: p.string(),
    displayName: p.string().fieldName("display_name").default(""),
    avatarUrl: p.string().fieldName("avatar_url").default(""),
    /** updated_at of the last profile.updated applied; null until one arrives. */
    profileUpdatedAt: p.datetime().nullable().fieldName("profile_updated_at"),
    /** Set when the user was deleted: the row is then a tombstone that nothing revives. */
    deletedAt: p.datetime().nullable().fieldName("deleted_at"),
  },
});
