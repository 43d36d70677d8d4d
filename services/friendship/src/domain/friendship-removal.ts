// Who may delete a relationship, and when.
import { isParty, type Relationship } from "./friendship.ts";

export type RemovalDecision = { kind: "remove" } | { kind: "not-found" };

/**
 * Either party may cancel a pending request or end a friendship. A rejected request is hidden from both
 * parties' lists and there is nothing left to cancel: it answers 404 like an unknown id, for everyone.
 */
export function decideRemoval(relationship: Relationship | undefined, callerId: string): RemovalDecision {
  if (!relationship || !isParty(relationship, callerId) || relationship.status === "rejected") return { kind: "not-found" };
  return { kind: "remove" };
}
