// The friendship aggregate: one relationship per pair of users, whatever its direction. The rules of the
// spec are pure functions of the current row, so that they can be tested without a database and applied
// inside the repository's transaction (the row is locked while they run).

export type FriendshipStatus = "requested" | "accepted" | "rejected";
export type FriendshipAction = "accept" | "reject";

export interface FriendshipRow {
  id: string;
  requesterId: string;
  addresseeId: string;
  status: FriendshipStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** What a friend request does, given the relationship the pair already has (if any). */
export type RequestDecision =
  | { kind: "create" }
  /** The addressee had already asked the caller: their request is accepted instead (200). */
  | { kind: "accept-theirs" }
  /** A rejected request is reused: it becomes a new request in the caller's direction (201). */
  | { kind: "renew" }
  | { kind: "conflict"; reason: "FRIEND_REQUEST_PENDING" | "ALREADY_FRIENDS" };

export function decideRequest(existing: FriendshipRow | undefined, callerId: string): RequestDecision {
  if (!existing) return { kind: "create" };
  switch (existing.status) {
    case "requested":
      return existing.requesterId === callerId ? { kind: "conflict", reason: "FRIEND_REQUEST_PENDING" } : { kind: "accept-theirs" };
    case "accepted":
      return { kind: "conflict", reason: "ALREADY_FRIENDS" };
    case "rejected":
      // Either party may ask again after a rejection: the requester who was turned down, or the addressee
      // who turned them down and changed their mind.
      return { kind: "renew" };
  }
}

export type ResponseDecision =
  | { kind: "transition"; to: FriendshipStatus }
  /** Repeating the action that decided the request: the same state, no new event. */
  | { kind: "unchanged" }
  /** Non-parties must not learn that the id exists: same answer as an unknown id. */
  | { kind: "not-found" }
  | { kind: "not-addressee" }
  | { kind: "already-decided" };

const outcomeOf: Record<FriendshipAction, FriendshipStatus> = { accept: "accepted", reject: "rejected" };

export function decideResponse(row: FriendshipRow | undefined, callerId: string, action: FriendshipAction): ResponseDecision {
  if (!row || !isParty(row, callerId)) return { kind: "not-found" };
  if (row.requesterId === callerId) return { kind: "not-addressee" };
  const to = outcomeOf[action];
  if (row.status === to) return { kind: "unchanged" };
  if (row.status === "requested") return { kind: "transition", to };
  return { kind: "already-decided" };
}

export type DeletionDecision = { kind: "remove" } | { kind: "not-found" };

/**
 * Either party may cancel a pending request or end a friendship. A rejected request is hidden from both
 * parties' lists and there is nothing left to cancel: it answers 404 like an unknown id, for everyone.
 */
export function decideDeletion(row: FriendshipRow | undefined, callerId: string): DeletionDecision {
  if (!row || !isParty(row, callerId) || row.status === "rejected") return { kind: "not-found" };
  return { kind: "remove" };
}

export function isParty(row: FriendshipRow, userId: string): boolean {
  return row.requesterId === userId || row.addresseeId === userId;
}
