// Consumes user.registered from identity.users.v1. The shared consumer records each ce_id in the same
// transaction as the effect, so a redelivered event has no second effect; the effect itself is also
// idempotent (insert ... on conflict, then fill names), so even a re-published event with a new id is harmless.
import { fromBinary } from "@bufbuild/protobuf";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import { eventTypes, topics } from "@identity/shared/outbox/topics.ts";
import type { ProfileUseCases } from "../application/profile-use-cases.ts";

export const USERS_CONSUMER_GROUP = "profile.users";
export const USERS_CONSUMER_TOPICS = [topics.users] as const;

export function userEventEffects(useCases: ProfileUseCases): Record<string, EventEffect> {
  return {
    [eventTypes.userRegistered]: async (em, message) => {
      const event = fromBinary(UserRegisteredSchema, message.value);
      await useCases.applyUserRegistered(em, {
        userId: event.userId,
        username: event.username,
        firstName: event.firstName,
        lastName: event.lastName,
      });
    },
  };
}
