// DELETE /api/friendships/{id}/: either party cancels a pending request or ends a friendship
// (domain/friendship-removal.ts), on the locked row, with friendship.removed in the same transaction.
import { events } from "@identity/proto/event-catalogue";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";

import type { MikroORM } from "@mikro-orm/postgresql";
import { decideRemoval } from "../domain/friendship-removal.ts";
import { recordFriendshipEvent } from "../events/published.ts";
import { lockFriendship } from "../persistence/friendship.repository.ts";

export interface DeleteFriendshipDeps {
  orm: MikroORM;
  now: () => Date;
}

export type DeleteFriendship = (caller: Caller, id: string) => Promise<void>;

export function deleteFriendship(deps: DeleteFriendshipDeps): DeleteFriendship {
  return (caller, id) =>
    deps.orm.em.fork().transactional(async (em) => {
      const row = await lockFriendship(em, id);
      if (decideRemoval(row ?? undefined, caller.userId).kind === "not-found") throw domainError(ErrorReason.FRIENDSHIP_NOT_FOUND);
      // Deleted when the transaction commits.
      em.remove(row!);
      recordFriendshipEvent(em, events.friendshipRemoved, row!, caller.userId, deps.now());
    });
}
