import { defineEntity, p } from "@mikro-orm/core";

/** An account. Username and email are unique case-insensitively (functional unique indexes, see the migration). */
export const UserEntity = defineEntity({
  name: "User",
  tableName: "app_user",
  // The case is kept as given; two names (or addresses) differing only in case are the same.
  indexes: [
    { name: "app_user_username_key", expression: "create unique index app_user_username_key on app_user (lower(username))" },
    { name: "app_user_email_key", expression: "create unique index app_user_email_key on app_user (lower(email))" },
    { name: "app_user_legacy_id_key", expression: "create unique index app_user_legacy_id_key on app_user (legacy_id)" },
    // What the unverified-account expiry walks.
    {
      name: "app_user_unverified_idx",
      expression: "create index app_user_unverified_idx on app_user (date_joined) where not email_verified",
    },
    // The accounts whose password is still a Django hash (see adapters/password-hasher.ts).
    {
      name: "app_user_django_hash_idx",
      expression:
        "create index app_user_django_hash_idx on app_user (id) where password_hash not like '$argon2%' and password_hash not like '!%'",
    },
  ],
  checks: [{ name: "app_user_username_check", expression: "username ~ '^[A-Za-z0-9_.]{3,30}$'" }],
  properties: {
    id: p.uuid().primary(),
    username: p.text(),
    email: p.text(),
    passwordHash: p.text().fieldName("password_hash").hidden(),
    emailVerified: p.boolean().fieldName("email_verified").default(false),
    firstName: p.text().fieldName("first_name").default(""),
    lastName: p.text().fieldName("last_name").default(""),
    dateJoined: p.datetime().fieldName("date_joined"),
    /** The Django user id of an imported account (`npm run import:drf`); null for registered ones. */
    legacyId: p.bigint().fieldName("legacy_id").nullable(),
    /** An inactive account (imported so from Django) cannot log in. */
    isActive: p.boolean().fieldName("is_active").default(true),
    lastLogin: p.datetime().fieldName("last_login").nullable(),
  },
});

export type UserRow = InstanceType<typeof UserEntity.class>;
