// The friendship aggregate: one relationship per pair of users, whatever its direction. The rules of the
// spec are pure functions of the current relationship (one file per call: friend-request.ts,
// friend-request-response.ts, friendship-removal.ts), tested without a database and applied inside the use
// case's transaction while the row is locked.

export type FriendshipStatus = "requested" | "accepted" | "rejected";
export type FriendshipAction = "accept" | "reject";

/** What the rules read of a relationship (the persisted entity has these fields and more). */
export interface Relationship {
  requesterId: string;
  addresseeId: string;
  status: FriendshipStatus;
}

export function isParty(relationship: Relationship, userId: string): boolean {
  return relationship.requesterId === userId || relationship.addresseeId === userId;
}
