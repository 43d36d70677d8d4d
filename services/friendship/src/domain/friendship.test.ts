import { ErrorReason } from "@identity/shared/errors.ts";
import { askedYouFirst, decideFriendRequest } from "./friend-request.ts";
import { decideResponse } from "./friend-request-response.ts";
import type { FriendshipStatus, Relationship } from "./friendship.ts";
import { decideRemoval } from "./friendship-removal.ts";

const row = (status: FriendshipStatus): Relationship => ({ requesterId: "alice", addresseeId: "bob", status });

test("a request: new, pending either way, friends, after a rejection (either party)", () => {
  expect(decideFriendRequest(undefined, "alice")).toEqual({ kind: "create" });
  expect(decideFriendRequest(row("requested"), "alice")).toEqual({ kind: "conflict", reason: ErrorReason.FRIEND_REQUEST_PENDING });
  expect(decideFriendRequest(row("requested"), "bob")).toEqual({ kind: "accept-theirs" });
  expect(decideFriendRequest(row("accepted"), "alice")).toEqual({ kind: "conflict", reason: ErrorReason.ALREADY_FRIENDS });
  expect(decideFriendRequest(row("accepted"), "bob")).toEqual({ kind: "conflict", reason: ErrorReason.ALREADY_FRIENDS });
  expect(decideFriendRequest(row("rejected"), "alice")).toEqual({ kind: "renew" });
  expect(decideFriendRequest(row("rejected"), "bob")).toEqual({ kind: "renew" });
});

test("a request to someone who asked you first accepts theirs; only a pending request sent to the caller counts", () => {
  expect(askedYouFirst(row("requested"), "bob")).toBe(true);
  expect(askedYouFirst(row("requested"), "alice")).toBe(false);
  expect(askedYouFirst(row("accepted"), "bob")).toBe(false);
  expect(askedYouFirst(row("rejected"), "bob")).toBe(false);
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
  expect(decideRemoval(row("requested"), "alice")).toEqual({ kind: "remove" });
  expect(decideRemoval(row("requested"), "bob")).toEqual({ kind: "remove" });
  expect(decideRemoval(row("accepted"), "bob")).toEqual({ kind: "remove" });
  expect(decideRemoval(row("rejected"), "alice")).toEqual({ kind: "not-found" });
  expect(decideRemoval(row("accepted"), "carol")).toEqual({ kind: "not-found" });
  expect(decideRemoval(undefined, "alice")).toEqual({ kind: "not-found" });
});
