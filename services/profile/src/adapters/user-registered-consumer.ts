// Consumes user.registered from identity.users.v1. The shared consumer records each ce_id in the same
// transaction as the effect, so a redelivered event has no second effect; the effect itself is also
// idempotent (insert ... on conflict, then fill names), so even a re-published event with a new id is harmless.
import { fromBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { UserDeletedSchema, type UserRegistered, UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { PoisonMessageError } from "@identity/shared/events/event-bus.ts";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import { isUuid } from "@identity/shared/ids.ts";
import { eventTypes, topics } from "@identity/shared/outbox/topics.ts";
import type { ProfileUseCases } from "../application/profile-use-cases.ts";

export const USERS_CONSUMER_GROUP = "profile.users";
export const USERS_CONSUMER_TOPICS = [topics.users] as const;

export function userEventEffects(useCases: ProfileUseCases): Record<string, EventEffect> {
  return {
    [eventTypes.userRegistered]: async (em, message) => {
      let event: UserRegistered;
      try {
        event = fromBinary(UserRegisteredSchema, message.value);
      } catch (err) {
        throw new PoisonMessageError("user.registered is not a valid UserRegistered message", { cause: err });
      }
      // No retry can fix these: straight to the dead-letter topic.
      if (!isUuid(event.userId) || event.username === "") throw new PoisonMessageError("user.registered without a user id or username");
      await useCases.applyUserRegistered(em, {
        userId: event.userId,
        username: event.username,
        firstName: event.firstName,
        lastName: event.lastName,
      });
    },
    // The profile leaves the directory; a tombstone keeps it from coming back. (user.email_changed needs
    // nothing here: profiles hold no address.)
    [eventTypes.userDeleted]: async (em, message) => {
      const event = fromBinary(UserDeletedSchema, message.value);
      if (!isUuid(event.userId)) throw new PoisonMessageError("user.deleted without a user id");
      await useCases.applyUserDeleted(em, event.userId, event.deletedAt ? timestampDate(event.deletedAt) : new Date());
    },
  };
}
