// The outbox side of every transition: one event per state change, written in the transaction that makes
// the change, keyed by the friendship id so that one relationship's events keep their order.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  FriendshipAcceptedSchema,
  FriendshipRejectedSchema,
  FriendshipRemovedSchema,
  FriendshipRequestedSchema,
} from "@identity/proto/identity/friendship/v1/friendship_events_pb.js";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import { eventTypes, topics } from "@identity/shared/outbox/topics.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { FriendshipRow } from "../domain/friendship.ts";

const schemas = {
  [eventTypes.friendshipRequested]: FriendshipRequestedSchema,
  [eventTypes.friendshipAccepted]: FriendshipAcceptedSchema,
  [eventTypes.friendshipRejected]: FriendshipRejectedSchema,
  [eventTypes.friendshipRemoved]: FriendshipRemovedSchema,
} as const;

export type FriendshipEventType = keyof typeof schemas;

export function recordFriendshipEvent(
  em: EntityManager,
  type: FriendshipEventType,
  row: FriendshipRow,
  actorId: string,
  occurredAt: Date,
): void {
  // The four messages have the same fields; the schema only names the type.
  const schema = schemas[type] as typeof FriendshipRequestedSchema;
  recordEvent(em, {
    topic: topics.friendships,
    key: row.id,
    type,
    schema,
    message: create(schema, {
      friendshipId: row.id,
      requesterId: row.requesterId,
      addresseeId: row.addresseeId,
      actorId,
      occurredAt: timestampFromDate(occurredAt),
    }),
    occurredAt,
  });
}
