import { defineEntity, p } from "@mikro-orm/core";

/** The live email verification code of an account: HMAC of the code, never the code itself. */
export const VerificationCodeEntity = defineEntity({
  name: "VerificationCode",
  tableName: "email_verification_code",
  properties: {
    userId: p.uuid().primary().fieldName("user_id"),
    email: p.string(),
    codeHash: p.blob().fieldName("code_hash"),
    sentAt: p.datetime().fieldName("sent_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
    attempts: p.integer().default(0),
  },
});

/** A pending change of address: the code mailed to the new address (HMAC, never the code itself). */
export const EmailChangeCodeEntity = defineEntity({
  name: "EmailChangeCode",
  tableName: "email_change_code",
  properties: {
    userId: p.uuid().primary().fieldName("user_id"),
    email: p.string(),
    codeHash: p.blob().fieldName("code_hash"),
    sentAt: p.datetime().fieldName("sent_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
    attempts: p.integer().default(0),
  },
});

/** The live password-reset token of an account: its SHA-256, never the token. */
export const PasswordResetTokenEntity = defineEntity({
  name: "PasswordResetToken",
  tableName: "password_reset_token",
  properties: {
    userId: p.uuid().primary().fieldName("user_id"),
    tokenHash: p.blob().fieldName("token_hash"),
    sentAt: p.datetime().fieldName("sent_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
  },
});
