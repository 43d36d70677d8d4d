// Consumes user.registered and user.deleted from identity.users.v1. The shared consumer records each ce_id in the same
// transaction as the effect, so a redelivered event has no second effect; the effect itself is also
// idempotent (insert ... on conflict, then fill names), so even a re-published event with a new id is harmless.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { events, topics } from "@identity/proto/event-catalogue";
import { decodeEvent } from "@identity/shared/events/decode-event.ts";
import { PoisonMessageError } from "@identity/shared/events/event-bus.ts";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import { isUuid } from "@identity/shared/ids.ts";
import type { ProfileUseCases } from "../application/use-cases.ts";

export const USERS_CONSUMER_GROUP = "profile.users";
export const USERS_CONSUMER_TOPICS = [topics.users] as const;

export function userEventEffects(useCases: Pick<ProfileUseCases, "applyUserRegistered" | "applyUserDeleted">): Record<string, EventEffect> {
  return {
    [events.userRegistered.type]: async (em, message) => {
      const event = decodeEvent(events.userRegistered, message);
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
    [events.userDeleted.type]: async (em, message) => {
      const event = decodeEvent(events.userDeleted, message);
      if (!isUuid(event.userId)) throw new PoisonMessageError("user.deleted without a user id");
      await useCases.applyUserDeleted(em, event.userId, event.deletedAt ? timestampDate(event.deletedAt) : new Date());
    },
  };
}
