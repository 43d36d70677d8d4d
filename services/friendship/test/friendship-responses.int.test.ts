// POST /api/friendships/respond/{id}/ and DELETE /api/friendships/{id}/: who may do what, idempotent
// repeats, the other action on a decided request, and one event per transition.
import { Code } from "@connectrpc/connect";
import { newId } from "@identity/shared/ids.ts";
import { type FriendshipFixture, failure, startFriendshipFixture, type TestUser } from "./friendship-fixture.ts";

let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture();
});
afterAll(() => f?.close());

async function pending(): Promise<{ alice: TestUser; bob: TestUser; id: string }> {
  const alice = await f.user();
  const bob = await f.user();
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  return { alice, bob, id: friendship!.id };
}

const types = async (id: string) => (await f.outbox(id)).map((e) => e.type);

describe("respond", () => {
  test("the addressee accepts: 200 accepted, friendship.accepted by the addressee, updated_at moves", async () => {
    const { alice, bob, id } = await pending();
    const { friendship } = await bob.client.respondToFriendRequest({ id, action: "accept" });
    expect(friendship).toMatchObject({
      id,
      status: "accepted",
      requester: { id: alice.id, username: alice.username },
      addressee: { id: bob.id, username: bob.username },
    });
    expect((await f.outbox(id)).at(-1)).toMatchObject({
      type: "friendship.accepted",
      actorId: bob.id,
      requesterId: alice.id,
      addresseeId: bob.id,
    });
  });

  test("the requester gets 403; anyone else and an unknown id get 404; nothing changes", async () => {
    const { alice, id } = await pending();
    const carol = await f.user();
    expect(await failure(alice.client.respondToFriendRequest({ id, action: "accept" }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "NOT_ADDRESSEE",
    });
    const stranger = await failure(carol.client.respondToFriendRequest({ id, action: "accept" }));
    const unknown = await failure(carol.client.respondToFriendRequest({ id: newId(), action: "accept" }));
    expect(stranger).toMatchObject({ code: Code.NotFound, reason: "FRIENDSHIP_NOT_FOUND" });
    // The same answer, so that ids of others' relationships are not confirmed.
    expect(unknown).toEqual(stranger);
    expect(await types(id)).toEqual(["friendship.requested"]);
  });

  test("an action other than accept or reject is 400", async () => {
    const { bob, id } = await pending();
    expect((await failure(bob.client.respondToFriendRequest({ id, action: "ignore" }))).code).toBe(Code.InvalidArgument);
  });

  test("accepting twice is 200 with the same state and one event", async () => {
    const { bob, id } = await pending();
    const first = await bob.client.respondToFriendRequest({ id, action: "accept" });
    const second = await bob.client.respondToFriendRequest({ id, action: "accept" });
    expect(second.friendship).toEqual(first.friendship);
    expect(await types(id)).toEqual(["friendship.requested", "friendship.accepted"]);
  });

  test("rejecting twice is 200 with the same state and one event", async () => {
    const { bob, id } = await pending();
    const first = await bob.client.respondToFriendRequest({ id, action: "reject" });
    expect(first.friendship!.status).toBe("rejected");
    expect((await bob.client.respondToFriendRequest({ id, action: "reject" })).friendship).toEqual(first.friendship);
    expect(await types(id)).toEqual(["friendship.requested", "friendship.rejected"]);
  });

  test("the other action on a decided request is 409 FAILED_PRECONDITION, both ways", async () => {
    const accepted = await pending();
    await accepted.bob.client.respondToFriendRequest({ id: accepted.id, action: "accept" });
    expect(await failure(accepted.bob.client.respondToFriendRequest({ id: accepted.id, action: "reject" }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "FRIEND_REQUEST_ALREADY_DECIDED",
    });
    const rejected = await pending();
    await rejected.bob.client.respondToFriendRequest({ id: rejected.id, action: "reject" });
    expect((await failure(rejected.bob.client.respondToFriendRequest({ id: rejected.id, action: "accept" }))).code).toBe(
      Code.FailedPrecondition,
    );
    expect(await types(accepted.id)).toEqual(["friendship.requested", "friendship.accepted"]);
    expect(await types(rejected.id)).toEqual(["friendship.requested", "friendship.rejected"]);
  });
});

describe("delete", () => {
  test("the requester cancels a pending request: 200 {}, friendship.removed, gone from both lists", async () => {
    const { alice, bob, id } = await pending();
    expect(await alice.client.deleteFriendship({ id })).toEqual(expect.objectContaining({}));
    expect((await f.outbox(id)).at(-1)).toMatchObject({
      type: "friendship.removed",
      actorId: alice.id,
      requesterId: alice.id,
      addresseeId: bob.id,
    });
    expect((await alice.client.listFriendships({})).friendships).toEqual([]);
    expect((await bob.client.listReceivedFriendRequests({})).friendships).toEqual([]);
  });

  test("the addressee may delete a pending request too", async () => {
    const { bob, id } = await pending();
    await bob.client.deleteFriendship({ id });
    expect(await types(id)).toEqual(["friendship.requested", "friendship.removed"]);
  });

  test("either friend ends a friendship; afterwards the pair may start again", async () => {
    const { alice, bob, id } = await pending();
    await bob.client.respondToFriendRequest({ id, action: "accept" });
    await bob.client.deleteFriendship({ id });
    expect(await types(id)).toEqual(["friendship.requested", "friendship.accepted", "friendship.removed"]);
    // Deleting again: the relationship is gone.
    expect((await failure(alice.client.deleteFriendship({ id }))).code).toBe(Code.NotFound);
    const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
    expect(friendship!.id).not.toBe(id);
    expect(friendship!.status).toBe("requested");
  });

  test("non-parties and unknown ids get 404 and nothing changes", async () => {
    const { bob, id } = await pending();
    const carol = await f.user();
    expect(await failure(carol.client.deleteFriendship({ id }))).toMatchObject({ code: Code.NotFound, reason: "FRIENDSHIP_NOT_FOUND" });
    expect(await failure(carol.client.deleteFriendship({ id: newId() }))).toMatchObject({
      code: Code.NotFound,
      reason: "FRIENDSHIP_NOT_FOUND",
    });
    expect((await bob.client.listReceivedFriendRequests({})).friendships.map((x) => x.id)).toEqual([id]);
  });

  test("a rejected request answers 404 to everyone, parties included, and stays reusable", async () => {
    const { alice, bob, id } = await pending();
    const carol = await f.user();
    await bob.client.respondToFriendRequest({ id, action: "reject" });
    for (const caller of [alice, bob, carol]) {
      expect(await failure(caller.client.deleteFriendship({ id }))).toMatchObject({ code: Code.NotFound, reason: "FRIENDSHIP_NOT_FOUND" });
    }
    expect(await types(id)).toEqual(["friendship.requested", "friendship.rejected"]);
    expect((await alice.client.createFriendRequest({ addresseeId: bob.id })).friendship!.id).toBe(id);
  });
});
