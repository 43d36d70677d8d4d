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
