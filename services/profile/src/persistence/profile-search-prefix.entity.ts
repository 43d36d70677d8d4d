// The directory's search index (see migration 0001): one row per (prefix of a word start of the username or
// display name, user). Derived data written only by the triggers on profile; code reads it, never writes it.
import { defineEntity, p } from "@mikro-orm/core";

export const ProfileSearchPrefixEntity = defineEntity({
  name: "ProfileSearchPrefix",
  tableName: "profile_search_prefix",
  properties: {
    prefix: p.text().primary().collation("C"),
    usernameKey: p.text().primary().fieldName("username_key").collation("C"),
    userId: p.uuid().primary().fieldName("user_id"),
  },
});

export type ProfileSearchPrefixRow = InstanceType<typeof ProfileSearchPrefixEntity.class>;
