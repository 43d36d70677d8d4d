// POST /api/friendships/respond/{id}/: the addressee accepts or rejects a pending request
// (domain/friend-request-response.ts), on the locked row, with its event in the same transaction.
import { events } from "@identity/proto/event-catalogue";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";

import type { MikroORM } from "@mikro-orm/postgresql";
import { decideResponse } from "../domain/friend-request-response.ts";
import type { FriendshipAction } from "../domain/friendship.ts";
import { recordFriendshipEvent } from "../events/published.ts";
import { type FriendshipView, lockFriendship, viewOf } from "../persistence/friendship.repository.ts";

export interface RespondToFriendRequestDeps {
  orm: MikroORM;
  now: () => Date;
}

export type RespondToFriendRequest = (caller: Caller, id: string, action: FriendshipAction) => Promise<FriendshipView>;

export function respondToFriendRequest(deps: RespondToFriendRequestDeps): RespondToFriendRequest {
  return (caller, id, action) =>
    deps.orm.em.fork().transactional(async (em) => {
      const row = await lockFriendship(em, id);
      const decision = decideResponse(row ?? undefined, caller.userId, action);
      switch (decision.kind) {
        case "not-found":
          throw domainError(ErrorReason.FRIENDSHIP_NOT_FOUND);
        case "not-addressee":
          throw domainError(ErrorReason.NOT_ADDRESSEE);
        case "already-decided":
          throw domainError(ErrorReason.FRIEND_REQUEST_ALREADY_DECIDED, { params: { status: row!.status } });
        case "unchanged":
          return viewOf(em, row!);
        case "transition": {
          const now = deps.now();
          // Written when the transaction commits.
          const next = Object.assign(row!, { status: decision.to, updatedAt: now });
          const type = decision.to === "accepted" ? events.friendshipAccepted : events.friendshipRejected;
          recordFriendshipEvent(em, type, next, caller.userId, now);
          return viewOf(em, next);
        }
      }
    });
}
