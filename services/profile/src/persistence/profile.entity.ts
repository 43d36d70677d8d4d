// A user's profile. The table also has username_key (generated: lower(username)) and the search-prefix
// table kept by a trigger; neither is mapped here because no code writes them.
import { defineEntity, p } from "@mikro-orm/core";

export const ProfileEntity = defineEntity({
  name: "Profile",
  tableName: "profile",
  properties: {
    userId: p.uuid().primary().fieldName("user_id"),
    username: p.text(),
    displayName: p.text().fieldName("display_name"),
    firstName: p.text().fieldName("first_name"),
    lastName: p.text().fieldName("last_name"),
    bio: p.text(),
    avatarUrl: p.text().fieldName("avatar_url"),
    firstNameEdited: p.boolean().fieldName("first_name_edited"),
    lastNameEdited: p.boolean().fieldName("last_name_edited"),
    createdAt: p.datetime().fieldName("created_at"),
    updatedAt: p.datetime().fieldName("updated_at"),
  },
});

export type ProfileRow = InstanceType<typeof ProfileEntity.class>;
