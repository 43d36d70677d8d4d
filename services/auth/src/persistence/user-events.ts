// The user aggregate's events, written to the outbox in the transaction of the change they describe.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { UserEmailVerifiedSchema, UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import { eventTypes, topics } from "@identity/shared/outbox/topics.ts";
import type { EntityManager } from "@mikro-orm/postgresql";

export function recordUserRegistered(
  em: EntityManager,
  user: { id: string; username: string; email: string; firstName: string; lastName: string; dateJoined: Date },
): void {
  recordEvent(em, {
    topic: topics.users,
    key: user.id,
    type: eventTypes.userRegistered,
    schema: UserRegisteredSchema,
    message: create(UserRegisteredSchema, {
      userId: user.id,
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      dateJoined: timestampFromDate(user.dateJoined),
    }),
    occurredAt: user.dateJoined,
  });
}

export function recordUserEmailVerified(em: EntityManager, userId: string, verifiedAt: Date): void {
  recordEvent(em, {
    topic: topics.users,
    key: userId,
    type: eventTypes.userEmailVerified,
    schema: UserEmailVerifiedSchema,
    message: create(UserEmailVerifiedSchema, { userId, verifiedAt: timestampFromDate(verifiedAt) }),
    occurredAt: verifiedAt,
  });
}
