import { defineEntity, p } from "@mikro-orm/core";
import { UserEntity } from "./user.entity.ts";

/** The account a row belongs to, and its key: one live row per account, deleted with the account. */
function ownerKey(table: string) {
  return (
    p
      .manyToOne(UserEntity)
      .mapToPk()
      .primary()
      .fieldName("user_id")
      .foreignKeyName(`${table}_user_id_fkey`)
      .deleteRule("cascade")
      // A key that is also a reference gets `on update cascade` by default; the migration has none.
      .updateRule("no action")
  );
}

/** A 6-digit code mailed to an address: one live code per account, its HMAC only, with its tries. */
function mailedCodeProperties(table: string) {
  return {
    userId: ownerKey(table),
    email: p.text(),
    codeHash: p.blob().$type<Buffer>().fieldName("code_hash"),
    sentAt: p.datetime().fieldName("sent_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
    attempts: p.integer().default(0),
  };
}

/** The live email verification code of an account: HMAC of the code, never the code itself. */
export const VerificationCodeEntity = defineEntity({
  name: "VerificationCode",
  tableName: "email_verification_code",
  properties: mailedCodeProperties("email_verification_code"),
});

/** A pending change of address: the code mailed to the new address (HMAC, never the code itself). */
export const EmailChangeCodeEntity = defineEntity({
  name: "EmailChangeCode",
  tableName: "email_change_code",
  properties: mailedCodeProperties("email_change_code"),
});

/** A mailed code's row: the same in both tables. */
export type MailedCode = InstanceType<typeof VerificationCodeEntity.class>;

/** The live password-reset token of an account: its SHA-256, never the token. */
export const PasswordResetTokenEntity = defineEntity({
  name: "PasswordResetToken",
  tableName: "password_reset_token",
  indexes: [
    {
      name: "password_reset_token_hash_key",
      expression: "create unique index password_reset_token_hash_key on password_reset_token (token_hash)",
    },
  ],
  properties: {
    userId: ownerKey("password_reset_token"),
    tokenHash: p.blob().$type<Buffer>().fieldName("token_hash"),
    sentAt: p.datetime().fieldName("sent_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
  },
});

export type PasswordResetTokenRow = InstanceType<typeof PasswordResetTokenEntity.class>;
