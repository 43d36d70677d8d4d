// POST /api/friendships/request/: every rule of the spec, with the HTTP status a gateway would answer and
// the event each transition records.
import { Code } from "@connectrpc/connect";
import { type FriendshipFixture, failure, startFriendshipFixture, statusRecorder } from "./friendship-fixture.ts";

let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture();
});
afterAll(() => f?.close());

test("a request to a known user is 201 requested, with both summaries filled, and records friendship.requested", async () => {
  const alice = await f.user({ displayName: "Alice A." });
  const bob = await f.user({ displayName: "Bob B." });
  const http = statusRecorder();
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id }, { onHeader: http.onHeader });
  expect(http.status()).toBe(201);
  expect(friendship).toMatchObject({
    status: "requested",
    requester: { id: alice.id, username: alice.username, displayName: "Alice A.", avatarUrl: "" },
    addressee: { id: bob.id, username: bob.username, displayName: "Bob B.", avatarUrl: "" },
  });
  expect(friendship!.createdAt).toBeDefined();
  expect(friendship!.updatedAt).toEqual(friendship!.createdAt);
  expect(await f.outbox(friendship!.id)).toEqual([
    {
      key: friendship!.id,
      topic: "social.friendships.v1",
      type: "friendship.requested",
      requesterId: alice.id,
      addresseeId: bob.id,
      actorId: alice.id,
    },
  ]);
});

test("a request to yourself is 400 and writes nothing", async () => {
  const alice = await f.user();
  const before = (await f.outbox()).length;
  expect(await failure(alice.client.createFriendRequest({ addresseeId: alice.id }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "CANNOT_BEFRIEND_SELF",
  });
  expect((await f.outbox()).length).toBe(before);
});

test("a request to a user the service does not know is 404 USER_NOT_FOUND, with a hint to retry", async () => {
  const alice = await f.user();
  const stranger = await f.user({ registered: false });
  const error = await failure(alice.client.createFriendRequest({ addresseeId: stranger.id }));
  expect(error).toMatchObject({ code: Code.NotFound, reason: "USER_NOT_FOUND" });
  expect(error.message).toMatch(/try again/);
});

test("a malformed addressee id is 400 from the contract's rules", async () => {
  const alice = await f.user();
  expect((await failure(alice.client.createFriendRequest({ addresseeId: "not-a-uuid" }))).code).toBe(Code.InvalidArgument);
});

test("a caller whose email is not verified gets 403 EMAIL_NOT_VERIFIED and nothing is written", async () => {
  const unverified = await f.user({ emailVerified: false });
  const bob = await f.user();
  const before = (await f.outbox()).length;
  expect(await failure(unverified.client.createFriendRequest({ addresseeId: bob.id }))).toMatchObject({
    code: Code.PermissionDenied,
    reason: "EMAIL_NOT_VERIFIED",
  });
  expect((await f.outbox()).length).toBe(before);
  expect((await bob.client.listReceivedFriendRequests({})).friendships).toEqual([]);
});

test("without a token the call is 401", async () => {
  const bob = await f.user();
  const anonymous = f.harness.client((await import("@identity/proto/identity/friendship/v1/friendship_pb.js")).FriendshipService);
  expect((await failure(anonymous.createFriendRequest({ addresseeId: bob.id }))).code).toBe(Code.Unauthenticated);
});

test("a request already pending from you is 409 FRIEND_REQUEST_PENDING", async () => {
  const alice = await f.user();
  const bob = await f.user();
  await alice.client.createFriendRequest({ addresseeId: bob.id });
  expect(await failure(alice.client.createFriendRequest({ addresseeId: bob.id }))).toMatchObject({
    code: Code.AlreadyExists,
    reason: "FRIEND_REQUEST_PENDING",
  });
});

test("a request to a friend is 409 ALREADY_FRIENDS, from either side", async () => {
  const alice = await f.user();
  const bob = await f.user();
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  await bob.client.respondToFriendRequest({ id: friendship!.id, action: "accept" });
  expect(await failure(alice.client.createFriendRequest({ addresseeId: bob.id }))).toMatchObject({
    code: Code.AlreadyExists,
    reason: "ALREADY_FRIENDS",
  });
  expect(await failure(bob.client.createFriendRequest({ addresseeId: alice.id }))).toMatchObject({
    code: Code.AlreadyExists,
    reason: "ALREADY_FRIENDS",
  });
});

test("asking someone whose request to you is pending accepts theirs: 200 accepted, one friendship.accepted", async () => {
  const alice = await f.user();
  const bob = await f.user();
  const { friendship: sent } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  const http = statusRecorder();
  const { friendship } = await bob.client.createFriendRequest({ addresseeId: alice.id }, { onHeader: http.onHeader });
  expect(http.status()).toBe(200);
  expect(friendship).toMatchObject({ id: sent!.id, status: "accepted", requester: { id: alice.id }, addressee: { id: bob.id } });
  expect((await f.outbox(sent!.id)).map((e) => [e.type, e.actorId])).toEqual([
    ["friendship.requested", alice.id],
    ["friendship.accepted", bob.id],
  ]);
});

test("a caller the replica has not heard of yet is known from their token and can ask", async () => {
  const newcomer = await f.user({ registered: false });
  const bob = await f.user();
  const { friendship } = await newcomer.client.createFriendRequest({ addresseeId: bob.id });
  expect(friendship!.requester).toMatchObject({ id: newcomer.id, username: newcomer.username, displayName: newcomer.username });
  // And once known, others can ask them.
  const carol = await f.user();
  expect((await carol.client.createFriendRequest({ addresseeId: newcomer.id })).friendship!.status).toBe("requested");
});

test("after a rejection the requester may ask again: the same relationship, requested again, dated now", async () => {
  const alice = await f.user();
  const bob = await f.user();
  const { friendship: first } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  await bob.client.respondToFriendRequest({ id: first!.id, action: "reject" });
  const http = statusRecorder();
  const { friendship: again } = await alice.client.createFriendRequest({ addresseeId: bob.id }, { onHeader: http.onHeader });
  expect(http.status()).toBe(201);
  expect(again).toMatchObject({ id: first!.id, status: "requested", requester: { id: alice.id }, addressee: { id: bob.id } });
  expect(Number(again!.createdAt!.seconds) * 1000 + again!.createdAt!.nanos / 1e6).toBeGreaterThanOrEqual(
    Number(first!.createdAt!.seconds) * 1000 + first!.createdAt!.nanos / 1e6,
  );
  expect((await f.outbox(first!.id)).map((e) => e.type)).toEqual(["friendship.requested", "friendship.rejected", "friendship.requested"]);
  expect((await bob.client.listReceivedFriendRequests({})).friendships.map((x) => x.id)).toEqual([first!.id]);
});

test("after a rejection the one who rejected may ask too: the request turns round", async () => {
  const alice = await f.user();
  const bob = await f.user();
  const { friendship: first } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  await bob.client.respondToFriendRequest({ id: first!.id, action: "reject" });
  const { friendship } = await bob.client.createFriendRequest({ addresseeId: alice.id });
  expect(friendship).toMatchObject({ id: first!.id, status: "requested", requester: { id: bob.id }, addressee: { id: alice.id } });
  expect((await f.outbox(first!.id)).at(-1)).toMatchObject({
    type: "friendship.requested",
    requesterId: bob.id,
    addresseeId: alice.id,
    actorId: bob.id,
  });
  // Now Alice is the addressee and may accept it.
  expect((await alice.client.respondToFriendRequest({ id: first!.id, action: "accept" })).friendship!.status).toBe("accepted");
});
