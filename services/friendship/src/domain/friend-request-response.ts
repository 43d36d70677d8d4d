// What accepting or rejecting a friend request does, given the request's current state.
import { type FriendshipAction, type FriendshipStatus, isParty, type Relationship } from "./friendship.ts";

export type ResponseDecision =
  | { kind: "transition"; to: FriendshipStatus }
  /** Repeating the action that decided the request: the same state, no new event. */
  | { kind: "unchanged" }
  /** Non-parties must not learn that the id exists: same answer as an unknown id. */
  | { kind: "not-found" }
  | { kind: "not-addressee" }
  | { kind: "already-decided" };

const outcomeOf: Record<FriendshipAction, FriendshipStatus> = { accept: "accepted", reject: "rejected" };

export function decideResponse(request: Relationship | undefined, callerId: string, action: FriendshipAction): ResponseDecision {
  if (!request || !isParty(request, callerId)) return { kind: "not-found" };
  if (request.requesterId === callerId) return { kind: "not-addressee" };
  const to = outcomeOf[action];
  if (request.status === to) return { kind: "unchanged" };
  if (request.status === "requested") return { kind: "transition", to };
  return { kind: "already-decided" };
}
