// Keeps the user replica current from the platform's events: user.registered (identity.users.v1) and
// profile.updated (identity.profiles.v1). The shared consumer makes each event apply once (by ce_id, in
// the effect's transaction); profile.updated also applies only when newer, so reordering is harmless.
import { fromBinary } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { UserDeletedSchema, UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { ProfileUpdatedSchema } from "@identity/proto/identity/profile/v1/profile_events_pb.js";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import { eventTypes, topics } from "@identity/shared/outbox/topics.ts";
import { recordFriendshipEvent } from "../application/friendship-events.ts";
import { deleteFriendshipsOf } from "../persistence/friendship.repository.ts";
import { applyProfileUpdated, applyUserRegistered, markUserDeleted } from "../persistence/known-user.repository.ts";

export const USER_REPLICA_GROUP = "friendship.users";
export const USER_REPLICA_TOPICS = [topics.users, topics.profiles] as const;

/** RFC 3339 with microseconds, PostgreSQL's precision, so two updates a few µs apart still order. */
export function timestampToMicrosText(ts: Timestamp | undefined): string {
  const seconds = Number(ts?.seconds ?? 0n);
  const micros = Math.floor((ts?.nanos ?? 0) / 1000);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;
}

export const userReplicaEffects: Record<string, EventEffect> = {
  [eventTypes.userRegistered]: async (em, message) => {
    const event = fromBinary(UserRegisteredSchema, message.value);
    await applyUserRegistered(em, { id: event.userId, username: event.username });
  },
  // Every relationship of a deleted user ends: a pending request or a friendship with friendship.removed (the
  // deleted user as the actor), a rejected one silently (it was already over); the user becomes a tombstone.
  // user.email_changed needs nothing here: the replica holds no address.
  [eventTypes.userDeleted]: async (em, message) => {
    const event = fromBinary(UserDeletedSchema, message.value);
    const deletedAt = event.deletedAt ? timestampDate(event.deletedAt) : new Date();
    for (const row of await deleteFriendshipsOf(em, event.userId)) {
      if (row.status !== "rejected") recordFriendshipEvent(em, eventTypes.friendshipRemoved, row, event.userId, deletedAt);
    }
    await markUserDeleted(em, event.userId, deletedAt);
  },
  [eventTypes.profileUpdated]: async (em, message) => {
    const event = fromBinary(ProfileUpdatedSchema, message.value);
    await applyProfileUpdated(em, {
      userId: event.userId,
      username: event.username,
      displayName: event.displayName,
      avatarUrl: event.avatarUrl,
      updatedAt: timestampToMicrosText(event.updatedAt),
    });
  },
};
