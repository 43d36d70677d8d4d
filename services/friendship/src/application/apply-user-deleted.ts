// The effect of user.deleted: every relationship of the user ends, a pending request or a friendship with
// friendship.removed (the deleted user as the actor), a rejected one silently (it was already over); the
// user becomes a tombstone that neither a late profile.updated nor a still-valid token revives.
import { events } from "@identity/proto/event-catalogue";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import { recordFriendshipEvent } from "../events/published.ts";
import { deleteFriendshipsOf } from "../persistence/friendship.repository.ts";
import { markUserDeleted } from "../persistence/known-user.repository.ts";

/** It needs nothing but the consumer's transaction. */
export type ApplyUserDeletedDeps = Record<string, never>;

export type ApplyUserDeleted = (em: SqlEntityManager, userId: string, deletedAt: Date) => Promise<void>;

export function applyUserDeleted(_deps: ApplyUserDeletedDeps = {}): ApplyUserDeleted {
  return async (em, userId, deletedAt) => {
    for (const row of await deleteFriendshipsOf(em, userId)) {
      if (row.status !== "rejected") recordFriendshipEvent(em, events.friendshipRemoved, row, userId, deletedAt);
    }
    await markUserDeleted(em, userId, deletedAt);
  };
}
