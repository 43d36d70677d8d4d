// Idempotency-Key on the friendship writes (the contract's policy option): a retried friend request or
// response with the same key answers the first result, once, even when the first one's answer was "accepted
// a pending request" (200); the key is the caller's own.
import { Code, ConnectError } from "@connectrpc/connect";
import { IDEMPOTENT_REPLAYED_HEADER } from "@identity/shared/idempotency/idempotency-interceptor.ts";
import { type FriendshipFixture, startFriendshipFixture } from "./friendship-fixture.ts";

let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture();
});
afterAll(() => f?.close());

const withKey = (key: string, seen?: Array<[string | null, string | null]>) => ({
  headers: { "idempotency-key": key },
  onHeader: (h: Headers) => seen?.push([h.get("x-http-status"), h.get(IDEMPOTENT_REPLAYED_HEADER)]),
});

test("a friend request sent twice with one key: one request, the same answer (201), the second marked replayed", async () => {
  const [alice, bob] = [await f.user(), await f.user()];
  const key = crypto.randomUUID();
  const seen: Array<[string | null, string | null]> = [];
  const first = await alice.client.createFriendRequest({ addresseeId: bob.id }, withKey(key, seen));
  const again = await alice.client.createFriendRequest({ addresseeId: bob.id }, withKey(key, seen));
  expect(again.friendship?.id).toBe(first.friendship?.id);
  expect(seen).toEqual([
    ["201", null],
    ["201", "true"],
  ]);
  expect((await f.outbox(first.friendship?.id)).filter((r) => r.type === "friendship.requested")).toHaveLength(1);
  // Without a key the repeat is a new attempt, refused as before.
  const repeat = await alice.client.createFriendRequest({ addresseeId: bob.id }).catch((e: unknown) => ConnectError.from(e));
  expect((repeat as ConnectError).code).toBe(Code.AlreadyExists);
});

test("a response retried with its key answers the same state; another user's same key is theirs", async () => {
  const [alice, bob, carol] = [await f.user(), await f.user(), await f.user()];
  const request = await alice.client.createFriendRequest({ addresseeId: bob.id });
  const key = crypto.randomUUID();
  const accepted = await bob.client.respondToFriendRequest({ id: request.friendship?.id ?? "", action: "accept" }, withKey(key));
  const replay = await bob.client.respondToFriendRequest({ id: request.friendship?.id ?? "", action: "accept" }, withKey(key));
  expect(replay).toEqual(accepted);
  const carolsOwn = await carol.client.createFriendRequest({ addresseeId: alice.id }, withKey(key));
  expect(carolsOwn.friendship?.status).toBe("requested");
});
