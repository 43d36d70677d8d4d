import { decideDeletion, decideRequest, decideResponse, type FriendshipRow, type FriendshipStatus } from "./friendship.ts";

const row = (status: FriendshipStatus): FriendshipRow => ({
  id: "f",
  requesterId: "alice",
  addresseeId: "bob",
  status,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

test("a request: new, pending either way, friends, after a rejection (either party)", () => {
  expect(decideRequest(undefined, "alice")).toEqual({ kind: "create" });
  expect(decideRequest(row("requested"), "alice")).toEqual({ kind: "conflict", reason: "FRIEND_REQUEST_PENDING" });
  expect(decideRequest(row("requested"), "bob")).toEqual({ kind: "accept-theirs" });
  expect(decideRequest(row("accepted"), "alice")).toEqual({ kind: "conflict", reason: "ALREADY_FRIENDS" });
  expect(decideRequest(row("accepted"), "bob")).toEqual({ kind: "conflict", reason: "ALREADY_FRIENDS" });
  expect(decideRequest(row("rejected"), "alice")).toEqual({ kind: "renew" });
  expect(decideRequest(row("rejected"), "bob")).toEqual({ kind: "renew" });
});

test("a response: only the addressee; repeats are unchanged; the other action on a decided request is refused", () => {
  expect(decideResponse(undefined, "bob", "accept")).toEqual({ kind: "not-found" });
  expect(decideResponse(row("requested"), "carol", "accept")).toEqual({ kind: "not-found" });
  expect(decideResponse(row("requested"), "alice", "accept")).toEqual({ kind: "not-addressee" });
  expect(decideResponse(row("requested"), "bob", "accept")).toEqual({ kind: "transition", to: "accepted" });
  expect(decideResponse(row("requested"), "bob", "reject")).toEqual({ kind: "transition", to: "rejected" });
  expect(decideResponse(row("accepted"), "bob", "accept")).toEqual({ kind: "unchanged" });
  expect(decideResponse(row("rejected"), "bob", "reject")).toEqual({ kind: "unchanged" });
  expect(decideResponse(row("accepted"), "bob", "reject")).toEqual({ kind: "already-decided" });
  expect(decideResponse(row("rejected"), "bob", "accept")).toEqual({ kind: "already-decided" });
});

test("a deletion: either party, pending or accepted; a rejected one and non-parties are not found", () => {
  expect(decideDeletion(row("requested"), "alice")).toEqual({ kind: "remove" });
  expect(decideDeletion(row("requested"), "bob")).toEqual({ kind: "remove" });
  expect(decideDeletion(row("accepted"), "bob")).toEqual({ kind: "remove" });
  expect(decideDeletion(row("rejected"), "alice")).toEqual({ kind: "not-found" });
  expect(decideDeletion(row("accepted"), "carol")).toEqual({ kind: "not-found" });
  expect(decideDeletion(undefined, "alice")).toEqual({ kind: "not-found" });
});
