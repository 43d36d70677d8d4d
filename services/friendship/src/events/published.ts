// What the service publishes: one event per state change of a relationship, recorded into the outbox in the
// transaction that makes the change, keyed by the friendship id (the catalogue's key) so that one
// relationship's events keep their order. The outbox relay publishes it after the commit.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { events } from "@identity/proto/event-catalogue";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { Friendship } from "../persistence/friendship.entity.ts";

/** The four transitions of the catalogue. */
export type FriendshipEvent = (typeof events)["friendshipRequested" | "friendshipAccepted" | "friendshipRejected" | "friendshipRemoved"];

export function recordFriendshipEvent(
  em: EntityManager,
  event: FriendshipEvent,
  row: Pick<Friendship, "id" | "requesterId" | "addresseeId">,
  actorId: string,
  occurredAt: Date,
): void {
  // The four messages have the same fields; the definition only names the type.
  recordEvent(
    em,
    event as typeof events.friendshipRequested,
    {
      friendshipId: row.id,
      requesterId: row.requesterId,
      addresseeId: row.addresseeId,
      actorId,
      occurredAt: timestampFromDate(occurredAt),
    },
    occurredAt,
  );
}
