import { defineEntity, p } from "@mikro-orm/core";

/** A login: bounded by an absolute lifetime; revoked by logout or by the replay of a spent refresh token. */
export const SessionEntity = defineEntity({
  name: "Session",
  tableName: "auth_session",
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().fieldName("user_id"),
    createdAt: p.datetime().fieldName("created_at"),
    expiresAt: p.datetime().fieldName("expires_at"),
    revokedAt: p.datetime().nullable().fieldName("revoked_at"),
    /** The last login or refresh, and who made it (what the owner sees in the session list). */
    lastUsedAt: p.datetime().fieldName("last_used_at"),
    userAgent: p.string().fieldName("user_agent"),
    clientAddress: p.string().fieldName("client_address"),
  },
});

/** A refresh token issued for a session (its `jti`); spent by its first use. */
export const RefreshTokenEntity = defineEntity({
  name: "RefreshToken",
  tableName: "refresh_token",
  properties: {
    jti: p.uuid().primary(),
    sessionId: p.uuid().fieldName("session_id"),
    issuedAt: p.datetime().fieldName("issued_at"),
    spentAt: p.datetime().nullable().fieldName("spent_at"),
  },
});
