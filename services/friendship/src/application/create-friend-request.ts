// POST /api/friendships/request/: a new request, a renewed one after a rejection, or, to someone who asked
// the caller first, the acceptance of theirs (domain/friend-request.ts). One transaction on the pair's
// locked row; the event is recorded in the outbox in the same transaction.
import { events } from "@identity/proto/event-catalogue";
import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason, rateLimited } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";

import { type RateLimit, reserve } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { decideFriendRequest } from "../domain/friend-request.ts";
import { recordFriendshipEvent } from "../events/published.ts";
import { type FriendshipView, insertIfPairFree, lockPair, type NewFriendship, viewOf } from "../persistence/friendship.repository.ts";
import { insertUserIfMissing, userExists } from "../persistence/known-user.repository.ts";

export interface CreateFriendRequestDeps {
  orm: MikroORM;
  now: () => Date;
  /** New friend requests per account per window. */
  friendRequestLimit: RateLimit;
}

/** `created` is false when the call accepted the addressee's pending request instead (200, not 201). */
export type CreateFriendRequest = (caller: Caller, addresseeId: string) => Promise<{ friendship: FriendshipView; created: boolean }>;

export function createFriendRequest(deps: CreateFriendRequestDeps): CreateFriendRequest {
  return async (caller, addresseeId) => {
    if (!caller.emailVerified) throw domainError(ErrorReason.EMAIL_NOT_VERIFIED);
    if (addresseeId === caller.userId) throw domainError(ErrorReason.CANNOT_BEFRIEND_SELF, { field: "addressee_id" });
    return deps.orm.em.fork().transactional(async (em) => {
      // The caller is known from their verified token (sub, username) even before user.registered reaches us.
      await insertUserIfMissing(em, { id: caller.userId, username: caller.username });
      // A tombstone: the account was deleted (its tokens are refused too, once user.deleted has arrived).
      if (!(await userExists(em, caller.userId))) throw accountDeleted();
      if (!(await userExists(em, addresseeId))) {
        // The replica may lag a registration by a moment (it learns of users from events).
        throw domainError(ErrorReason.USER_NOT_FOUND);
      }
      // A new request (create or renew) is counted first, in this transaction: the count is atomic against
      // the limit under any concurrency, and a request that ends in 404/409 rolls its count back.
      const countNewRequest = async () => {
        const retryAfter = await reserve(em, `friend-requests:account:${caller.userId}`, deps.friendRequestLimit);
        if (retryAfter !== undefined) throw rateLimited(retryAfter);
      };
      // Twice at most: a lost insert race means the winner's row is committed and visible to the next read.
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await lockPair(em, caller.userId, addresseeId);
        const decision = decideFriendRequest(existing ?? undefined, caller.userId);
        const now = deps.now();
        switch (decision.kind) {
          case "conflict":
            throw domainError(decision.reason);
          case "create": {
            if (attempt === 0) await countNewRequest();
            const row: NewFriendship = {
              id: newId(),
              requesterId: caller.userId,
              addresseeId,
              status: "requested",
              createdAt: now,
              updatedAt: now,
            };
            if (!(await insertIfPairFree(em, row))) continue;
            recordFriendshipEvent(em, events.friendshipRequested, row, caller.userId, now);
            return { friendship: await viewOf(em, row), created: true };
          }
          case "renew": {
            if (attempt === 0) await countNewRequest();
            // The rejected row becomes a new request in the caller's direction, dated now (written at commit).
            const row = Object.assign(existing!, {
              requesterId: caller.userId,
              addresseeId,
              status: "requested",
              createdAt: now,
              updatedAt: now,
            });
            recordFriendshipEvent(em, events.friendshipRequested, row, caller.userId, now);
            return { friendship: await viewOf(em, row), created: true };
          }
          case "accept-theirs": {
            const row = Object.assign(existing!, { status: "accepted", updatedAt: now });
            recordFriendshipEvent(em, events.friendshipAccepted, row, caller.userId, now);
            return { friendship: await viewOf(em, row), created: false };
          }
        }
      }
      throw new Error("friend request: the pair's row kept changing");
    });
  };
}
