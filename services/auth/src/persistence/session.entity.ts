import { defineEntity, p } from "@mikro-orm/core";
import { UserEntity } from "./user.entity.ts";

/** A login: bounded by an absolute lifetime; revoked by logout or by the replay of a spent refresh token. */
export const SessionEntity = defineEntity({
  name: "Session",
  tableName: "auth_session",
  indexes: [{ name: "auth_session_user_idx", properties: "userId" }],
  properties: {
    id: p.uuid().primary(),
    userId: p.manyToOne(UserEntity).mapToPk().fieldName("user_id").foreignKeyName("auth_session_user_id_fkey").deleteRule("cascade"),
    createdAt: p.datetime().fieldName("created_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
    revokedAt: p.datetime().nullable().fieldName("revoked_at"),
    /** The last login or refresh, and who made it (what the owner sees in the session list). */
    lastUsedAt: p.datetime().fieldName("last_used_at").defaultRaw("now()"),
    userAgent: p.text().fieldName("user_agent").default(""),
    clientAddress: p.text().fieldName("client_address").default(""),
  },
});

/** A refresh token issued for a session (its `jti`); spent by its first use. */
export const RefreshTokenEntity = defineEntity({
  name: "RefreshToken",
  tableName: "refresh_token",
  indexes: [{ name: "refresh_token_session_idx", properties: "sessionId" }],
  properties: {
    jti: p.uuid().primary(),
    sessionId: p
      .manyToOne(SessionEntity)
      .mapToPk()
      .fieldName("session_id")
      .foreignKeyName("refresh_token_session_id_fkey")
      .deleteRule("cascade"),
    issuedAt: p.datetime().fieldName("issued_at"),
    spentAt: p.datetime().nullable().fieldName("spent_at"),
  },
});
