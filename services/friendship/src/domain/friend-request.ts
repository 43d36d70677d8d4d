// What a friend request does, given the relationship the pair already has (if any).
import { ErrorReason } from "@identity/shared/errors.ts";
import type { Relationship } from "./friendship.ts";

export type FriendRequestDecision =
  | { kind: "create" }
  /** The addressee had already asked the caller: their request is accepted instead (200). */
  | { kind: "accept-theirs" }
  /** A rejected request is reused: it becomes a new request in the caller's direction (201). */
  | { kind: "renew" }
  | { kind: "conflict"; reason: ErrorReason.FRIEND_REQUEST_PENDING | ErrorReason.ALREADY_FRIENDS };

/**
 * A request to someone who asked you first accepts theirs: the pair's pending request was sent to the
 * caller, so asking back is answering yes, and no second request is made.
 */
export function askedYouFirst(existing: Relationship, callerId: string): boolean {
  return existing.status === "requested" && existing.addresseeId === callerId;
}

export function decideFriendRequest(existing: Relationship | undefined, callerId: string): FriendRequestDecision {
  if (!existing) return { kind: "create" };
  if (askedYouFirst(existing, callerId)) return { kind: "accept-theirs" };
  switch (existing.status) {
    case "requested":
      return { kind: "conflict", reason: ErrorReason.FRIEND_REQUEST_PENDING };
    case "accepted":
      return { kind: "conflict", reason: ErrorReason.ALREADY_FRIENDS };
    case "rejected":
      // Either party may ask again after a rejection: the requester who was turned down, or the addressee
      // who turned them down and changed their mind.
      return { kind: "renew" };
  }
}
