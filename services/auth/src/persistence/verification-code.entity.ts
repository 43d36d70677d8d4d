import { defineEntity, p } from "@mikro-orm/core";

/** A 6-digit code mailed to an address: one live code per account, its HMAC only, with its tries. */
const mailedCodeProperties = {
  userId: p.uuid().primary().fieldName("user_id"),
  email: p.string(),
  codeHash: p.blob().fieldName("code_hash"),
  sentAt: p.datetime().fieldName("sent_at"),
  expiresAt: p.datetime().fieldName("expires_at"),
  attempts: p.integer().default(0),
};

/** The live email verification code of an account: HMAC of the code, never the code itself. */
export const VerificationCodeEntity = defineEntity({
  name: "VerificationCode",
  tableName: "email_verification_code",
  properties: mailedCodeProperties,
});

/** A pending change of address: the code mailed to the new address (HMAC, never the code itself). */
export const EmailChangeCodeEntity = defineEntity({
  name: "EmailChangeCode",
  tableName: "email_change_code",
  properties: mailedCodeProperties,
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
