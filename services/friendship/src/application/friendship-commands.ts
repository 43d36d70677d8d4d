// The use cases that change relationships. Each runs in one transaction on a locked row: the rule is
// decided on the current state (domain/friendship.ts), the row is written, and its event is recorded in
// the outbox in the same transaction.

import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import type { Caller } from "@identity/shared/auth/caller.ts";
import { alreadyExists, failedPrecondition, invalidArgument, notFound, permissionDenied, rateLimited } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { eventTypes } from "@identity/shared/outbox/topics.ts";
import { type RateLimit, reserve } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { MikroORM } from "@mikro-orm/postgresql";
import { decideDeletion, decideRequest, decideResponse, type FriendshipAction, type FriendshipRow } from "../domain/friendship.ts";
import {
  deleteFriendship,
  type FriendshipView,
  insertIfPairFree,
  lockFriendship,
  lockPair,
  saveFriendship,
} from "../persistence/friendship.repository.ts";
import { ensureUserFromClaims, findUserSummaries, userExists } from "../persistence/known-user.repository.ts";
import { recordFriendshipEvent } from "./friendship-events.ts";

export interface FriendshipCommandDeps {
  orm: MikroORM;
  clock: () => Date;
  /** Called after a commit that recorded an event, to publish it now rather than at the relay's next poll. */
  eventsRecorded: () => void;
  /** New friend requests per account per window. */
  friendRequestLimit: RateLimit;
}

const friendshipNotFound = () => notFound("FRIENDSHIP_NOT_FOUND", "No such friendship.");

const conflictMessages = {
  FRIEND_REQUEST_PENDING: "You have already sent this user a friend request.",
  ALREADY_FRIENDS: "You are already friends with this user.",
} as const;

/** Adds the two users' summaries to a row; both exist (the foreign keys say so). */
async function withSummaries(em: EntityManager, row: FriendshipRow): Promise<FriendshipView> {
  const users = await findUserSummaries(em, [row.requesterId, row.addresseeId]);
  const summary = (id: string) => users.get(id) ?? { id, username: "", displayName: "", avatarUrl: "" };
  return { ...row, requester: summary(row.requesterId), addressee: summary(row.addresseeId) };
}

export function createFriendshipCommands(deps: FriendshipCommandDeps) {
  const inTransaction = async <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => {
    const result = await deps.orm.em.fork().transactional(work);
    deps.eventsRecorded();
    return result;
  };

  return {
    /** `created` is false when the call accepted the addressee's pending request instead (200, not 201). */
    async createFriendRequest(caller: Caller, addresseeId: string): Promise<{ friendship: FriendshipView; created: boolean }> {
      if (!caller.emailVerified) throw permissionDenied("EMAIL_NOT_VERIFIED", "Verify your email address before sending friend requests.");
      if (addresseeId === caller.userId)
        throw invalidArgument("CANNOT_BEFRIEND_SELF", "You cannot send a friend request to yourself.", "addressee_id");
      return inTransaction(async (em) => {
        await ensureUserFromClaims(em, { id: caller.userId, username: caller.username });
        // A tombstone: the account was deleted (its tokens are refused too, once user.deleted has arrived).
        if (!(await userExists(em, caller.userId))) throw accountDeleted();
        if (!(await userExists(em, addresseeId))) {
          // The replica may lag a registration by a moment (it learns of users from events).
          throw notFound("USER_NOT_FOUND", "No such user. If they registered a moment ago, try again in a few seconds.");
        }
        // Twice at most: a lost insert race means the winner's row is committed and visible to the next read.
        // A new request (create or renew) is counted first, in this transaction: the count is atomic against
        // the limit under any concurrency, and a request that ends in 404/409 rolls its count back.
        const countNewRequest = async () => {
          const retryAfter = await reserve(em, `friend-requests:account:${caller.userId}`, deps.friendRequestLimit);
          if (retryAfter !== undefined) throw rateLimited(retryAfter);
        };
        for (let attempt = 0; attempt < 3; attempt++) {
          const existing = await lockPair(em, caller.userId, addresseeId);
          const decision = decideRequest(existing, caller.userId);
          const now = deps.clock();
          switch (decision.kind) {
            case "conflict":
              throw alreadyExists(decision.reason, conflictMessages[decision.reason]);
            case "create": {
              if (attempt === 0) await countNewRequest();
              const row: FriendshipRow = {
                id: newId(),
                requesterId: caller.userId,
                addresseeId,
                status: "requested",
                createdAt: now,
                updatedAt: now,
              };
              if (!(await insertIfPairFree(em, row))) continue;
              recordFriendshipEvent(em, eventTypes.friendshipRequested, row, caller.userId, now);
              return { friendship: await withSummaries(em, row), created: true };
            }
            case "renew": {
              if (attempt === 0) await countNewRequest();
              // The rejected row becomes a new request in the caller's direction, dated now.
              const row: FriendshipRow = {
                ...existing!,
                requesterId: caller.userId,
                addresseeId,
                status: "requested",
                createdAt: now,
                updatedAt: now,
              };
              await saveFriendship(em, row);
              recordFriendshipEvent(em, eventTypes.friendshipRequested, row, caller.userId, now);
              return { friendship: await withSummaries(em, row), created: true };
            }
            case "accept-theirs": {
              const row: FriendshipRow = { ...existing!, status: "accepted", updatedAt: now };
              await saveFriendship(em, row);
              recordFriendshipEvent(em, eventTypes.friendshipAccepted, row, caller.userId, now);
              return { friendship: await withSummaries(em, row), created: false };
            }
          }
        }
        throw new Error("friend request: the pair's row kept changing");
      });
    },

    async respondToFriendRequest(caller: Caller, id: string, action: FriendshipAction): Promise<FriendshipView> {
      return inTransaction(async (em) => {
        const row = await lockFriendship(em, id);
        const decision = decideResponse(row, caller.userId, action);
        switch (decision.kind) {
          case "not-found":
            throw friendshipNotFound();
          case "not-addressee":
            throw permissionDenied("NOT_ADDRESSEE", "Only the addressee of a friend request may respond to it.");
          case "already-decided":
            throw failedPrecondition("FRIEND_REQUEST_ALREADY_DECIDED", `This friend request was already ${row!.status}.`);
          case "unchanged":
            return withSummaries(em, row!);
          case "transition": {
            const now = deps.clock();
            const next: FriendshipRow = { ...row!, status: decision.to, updatedAt: now };
            await saveFriendship(em, next);
            const type = decision.to === "accepted" ? eventTypes.friendshipAccepted : eventTypes.friendshipRejected;
            recordFriendshipEvent(em, type, next, caller.userId, now);
            return withSummaries(em, next);
          }
        }
      });
    },

    async deleteFriendship(caller: Caller, id: string): Promise<void> {
      await inTransaction(async (em) => {
        const row = await lockFriendship(em, id);
        if (decideDeletion(row, caller.userId).kind === "not-found") throw friendshipNotFound();
        await deleteFriendship(em, id);
        recordFriendshipEvent(em, eventTypes.friendshipRemoved, row!, caller.userId, deps.clock());
      });
    },
  };
}

export type FriendshipCommands = ReturnType<typeof createFriendshipCommands>;
