// What the service consumes: user.registered and user.deleted (identity.users.v1) and profile.updated
// (identity.profiles.v1), which keep the user replica current. The shared consumer makes each event apply
// once (by ce_id, in the effect's transaction); profile.updated also applies only when newer, so reordering
// is harmless. user.email_changed needs nothing here: the replica holds no address.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { events, topics } from "@identity/proto/event-catalogue";
import { decodeEvent } from "@identity/shared/events/decode-event.ts";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { FriendshipUseCases } from "../application/use-cases.ts";

export const USERS_CONSUMER_GROUP = "friendship.users";
export const USERS_CONSUMER_TOPICS = [topics.users, topics.profiles] as const;

/** RFC 3339 with microseconds, PostgreSQL's precision, so two updates a few µs apart still order. */
export function timestampToMicrosText(ts: Timestamp | undefined): string {
  const seconds = Number(ts?.seconds ?? 0n);
  const micros = Math.floor((ts?.nanos ?? 0) / 1000);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;
}

// The consumer hands each effect its transaction's entity manager; the service's ORM is the PostgreSQL one.
const sqlEm = (em: EntityManager) => em as SqlEntityManager;

export function userEventEffects(
  useCases: Pick<FriendshipUseCases, "applyUserRegistered" | "applyProfileUpdated" | "applyUserDeleted">,
): Record<string, EventEffect> {
  return {
    [events.userRegistered.type]: async (em, message) => {
      const event = decodeEvent(events.userRegistered, message);
      await useCases.applyUserRegistered(sqlEm(em), { id: event.userId, username: event.username });
    },
    [events.userDeleted.type]: async (em, message) => {
      const event = decodeEvent(events.userDeleted, message);
      await useCases.applyUserDeleted(sqlEm(em), event.userId, event.deletedAt ? timestampDate(event.deletedAt) : new Date());
    },
    [events.profileUpdated.type]: async (em, message) => {
      const event = decodeEvent(events.profileUpdated, message);
      await useCases.applyProfileUpdated(sqlEm(em), {
        userId: event.userId,
        username: event.username,
        displayName: event.displayName,
        avatarUrl: event.avatarUrl,
        updatedAt: timestampToMicrosText(event.updatedAt),
      });
    },
  };
}
