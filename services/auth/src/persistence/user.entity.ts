import { defineEntity, p } from "@mikro-orm/core";

/** An account. Username and email are unique case-insensitively (functional unique indexes, see the migration). */
export const UserEntity = defineEntity({
  name: "User",
  tableName: "app_user",
  properties: {
    id: p.uuid().primary(),
    username: p.string(),
    email: p.string(),
    passwordHash: p.string().fieldName("password_hash").hidden(),
    emailVerified: p.boolean().fieldName("email_verified"),
    firstName: p.string().fieldName("first_name"),
    lastName: p.string().fieldName("last_name"),
    dateJoined: p.datetime().fieldName("date_joined"),
    /** The Django user id of an imported account (`npm run import:drf`); null for registered ones. */
    legacyId: p.bigint().fieldName("legacy_id").nullable(),
    /** An inactive account (imported so from Django) cannot log in. */
    isActive: p.boolean().fieldName("is_active").default(true),
    lastLogin: p.datetime().fieldName("last_login").nullable(),
  },
});

export type UserRow = InstanceType<typeof UserEntity.class>;
