import { useQuery } from "@connectrpc/connect-query";
import { type Friendship, FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import type { UserSummary } from "@identity/proto/identity/profile/v1/profile_pb.js";

export type RelationKind = "friends" | "sent" | "received";
export type Relation = {
  kind: RelationKind;
  friendship: Friendship;
  other: UserSummary;
};

// The lists are small for a person (max page 100); the screens show the first page of each.
export const FRIENDSHIP_PAGE_SIZE = 100;

// Other people act on these lists too (accept, reject, unfriend); a calm poll keeps an open screen current.
export const FRIENDSHIP_POLL_MS = 15_000;

export function otherParty(f: Friendship, me: string): UserSummary | undefined {
  return f.requester?.id === me ? f.addressee : f.requester;
}

export function toRelation(f: Friendship, me: string): Relation | undefined {
  const other = otherParty(f, me);
  if (!other) return undefined;
  if (f.status === "accepted") return { kind: "friends", friendship: f, other };
  if (f.status === "requested")
    return {
      kind: f.requester?.id === me ? "sent" : "received",
      friendship: f,
      other,
    };
  return undefined;
}

/** The caller's friendships and pending requests, by the other user's id. */
export function useRelations(me: string) {
  const query = useQuery(FriendshipService.method.listFriendships, {
    pageSize: FRIENDSHIP_PAGE_SIZE,
  });
  const byUser = new Map<string, Relation>();
  for (const f of query.data?.friendships ?? []) {
    const relation = toRelation(f, me);
    if (relation) byUser.set(relation.other.id, relation);
  }
  return { query, byUser };
}

export function displayName(user: UserSummary | undefined): string {
  if (!user) return "someone";
  return user.displayName || user.username;
}
