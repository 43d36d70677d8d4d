// The user aggregate's events, written to the outbox in the transaction of the change they describe.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { events } from "@identity/proto/event-catalogue";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import type { EntityManager } from "@mikro-orm/postgresql";

export function recordUserRegistered(
  em: EntityManager,
  user: { id: string; username: string; email: string; firstName: string; lastName: string; dateJoined: Date },
): void {
  recordEvent(
    em,
    events.userRegistered,
    {
      userId: user.id,
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      dateJoined: timestampFromDate(user.dateJoined),
    },
    user.dateJoined,
  );
}

export function recordUserEmailVerified(em: EntityManager, userId: string, verifiedAt: Date): void {
  recordEvent(em, events.userEmailVerified, { userId, verifiedAt: timestampFromDate(verifiedAt) }, verifiedAt);
}

export function recordUserEmailChanged(em: EntityManager, userId: string, email: string, changedAt: Date): void {
  recordEvent(em, events.userEmailChanged, { userId, email, changedAt: timestampFromDate(changedAt) }, changedAt);
}

export function recordUserPasswordChanged(em: EntityManager, userId: string, method: "change" | "reset", changedAt: Date): void {
  recordEvent(em, events.userPasswordChanged, { userId, method, changedAt: timestampFromDate(changedAt) }, changedAt);
}

/** Beyond the access-token lifetime: the verifiers' clock tolerance (5 s) and skew between hosts. */
const CLOCK_MARGIN_SECONDS = 60;
const tokensExpireAt = (from: Date, accessTtlSeconds: number) =>
  timestampFromDate(new Date(from.getTime() + (accessTtlSeconds + CLOCK_MARGIN_SECONDS) * 1000));

/** Why a session ended, as session.revoked says. */
export type RevocationReason =
  | "logout"
  | "logout_all"
  | "revoked"
  | "password_changed"
  | "password_reset"
  | "refresh_token_reuse"
  | "account_deleted";

/**
 * One session.revoked per ended session, keyed by the user (the users topic keeps a user's events in order).
 * `accessTtlSeconds` bounds how long the services must remember it: no access token of the session lives longer.
 */
export function recordSessionsRevoked(
  em: EntityManager,
  sessions: readonly { id: string; userId: string }[],
  reason: RevocationReason,
  accessTtlSeconds: number,
  revokedAt = new Date(),
): void {
  const expireAt = tokensExpireAt(revokedAt, accessTtlSeconds);
  for (const session of sessions) {
    recordEvent(
      em,
      events.sessionRevoked,
      {
        sessionId: session.id,
        userId: session.userId,
        reason,
        revokedAt: timestampFromDate(revokedAt),
        accessTokensExpireAt: expireAt,
      },
      revokedAt,
    );
  }
}

export function recordUserDeleted(
  em: EntityManager,
  userId: string,
  reason: "requested" | "unverified_expired",
  accessTtlSeconds: number,
  deletedAt = new Date(),
): void {
  recordEvent(
    em,
    events.userDeleted,
    {
      userId,
      reason,
      deletedAt: timestampFromDate(deletedAt),
      accessTokensExpireAt: tokensExpireAt(deletedAt, accessTtlSeconds),
    },
    deletedAt,
  );
}
