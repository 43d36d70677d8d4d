// GET /api/friendships/ and /api/friendships/received/: what is listed, in which order (most recent
// activity first), and keyset pages that neither repeat nor skip a row.
import { Code } from "@connectrpc/connect";
import type { Friendship } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { encodePageToken } from "@identity/shared/pagination.ts";
import { type FriendshipFixture, failure, startFriendshipFixture, type TestUser } from "./friendship-fixture.ts";

let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture();
});
afterAll(() => f?.close());

// Timestamps are kept to the millisecond: a pause makes "most recent" unambiguous.
const tick = () => new Promise((r) => setTimeout(r, 3));

async function allPages(
  fetch: (pageToken: string) => Promise<{ friendships: Friendship[]; nextPageToken: string }>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let token = "";
  let pages = 0;
  do {
    const page = await fetch(token);
    pages += 1;
    ids.push(...page.friendships.map((x) => x.id));
    token = page.nextPageToken;
    if (pages > 100) throw new Error("pagination does not end");
  } while (token);
  return { ids, pages };
}

describe("what is listed", () => {
  let me: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    me = await f.user();
    const [sentTo, receivedFrom, friendAsked, friendWhoAsked, iRejected, rejectedMe] = await Promise.all(
      Array.from({ length: 6 }, () => f.user()),
    );
    ids.sentPending = (await me.client.createFriendRequest({ addresseeId: sentTo!.id })).friendship!.id;
    await tick();
    ids.receivedPending = (await receivedFrom!.client.createFriendRequest({ addresseeId: me.id })).friendship!.id;
    await tick();
    ids.friendIAsked = (await me.client.createFriendRequest({ addresseeId: friendAsked!.id })).friendship!.id;
    await tick();
    await friendAsked!.client.respondToFriendRequest({ id: ids.friendIAsked, action: "accept" });
    await tick();
    ids.friendWhoAsked = (await friendWhoAsked!.client.createFriendRequest({ addresseeId: me.id })).friendship!.id;
    await tick();
    await me.client.respondToFriendRequest({ id: ids.friendWhoAsked, action: "accept" });
    await tick();
    ids.iRejected = (await iRejected!.client.createFriendRequest({ addresseeId: me.id })).friendship!.id;
    await me.client.respondToFriendRequest({ id: ids.iRejected, action: "reject" });
    ids.rejectedMe = (await me.client.createFriendRequest({ addresseeId: rejectedMe!.id })).friendship!.id;
    await rejectedMe!.client.respondToFriendRequest({ id: ids.rejectedMe, action: "reject" });
  });

  test("sent and received, pending and accepted, rejected hidden, most recent activity first", async () => {
    const { friendships, nextPageToken } = await me.client.listFriendships({});
    expect(friendships.map((x) => x.id)).toEqual([ids.friendWhoAsked, ids.friendIAsked, ids.receivedPending, ids.sentPending]);
    expect(nextPageToken).toBe("");
    const friend = friendships[0]!;
    expect(friend.requester!.username).not.toBe("");
    expect(friend.addressee).toMatchObject({ id: me.id, username: me.username });
  });

  test("the status filter", async () => {
    expect((await me.client.listFriendships({ status: "requested" })).friendships.map((x) => x.id)).toEqual([
      ids.receivedPending,
      ids.sentPending,
    ]);
    expect((await me.client.listFriendships({ status: "accepted" })).friendships.map((x) => x.id)).toEqual([
      ids.friendWhoAsked,
      ids.friendIAsked,
    ]);
    expect((await failure(me.client.listFriendships({ status: "rejected" }))).code).toBe(Code.InvalidArgument);
  });

  test("received: only pending requests addressed to the caller", async () => {
    const { friendships, nextPageToken } = await me.client.listReceivedFriendRequests({});
    expect(friendships.map((x) => [x.id, x.status])).toEqual([[ids.receivedPending, "requested"]]);
    expect(nextPageToken).toBe("");
  });

  test("a user with no relationships gets empty lists", async () => {
    const loner = await f.user();
    expect(await loner.client.listFriendships({})).toMatchObject({ friendships: [], nextPageToken: "" });
    expect(await loner.client.listReceivedFriendRequests({})).toMatchObject({ friendships: [], nextPageToken: "" });
  });
});

describe("pages", () => {
  test("walking every page gives every row once, in the one-page order", async () => {
    const me = await f.user();
    const others = await Promise.all(Array.from({ length: 25 }, () => f.user()));
    for (const [i, other] of others.entries()) {
      if (i % 3 === 0) await me.client.createFriendRequest({ addresseeId: other.id });
      else {
        const { friendship } = await other.client.createFriendRequest({ addresseeId: me.id });
        if (i % 3 === 1) await me.client.respondToFriendRequest({ id: friendship!.id, action: "accept" });
      }
    }
    const onePage = (await me.client.listFriendships({ pageSize: 100 })).friendships.map((x) => x.id);
    expect(onePage).toHaveLength(25);
    for (const pageSize of [1, 7, 24, 25]) {
      const walked = await allPages((pageToken) => me.client.listFriendships({ pageSize, pageToken }));
      expect(walked.ids).toEqual(onePage);
      expect(walked.pages).toBe(Math.ceil(25 / pageSize));
    }
    const received = await allPages((pageToken) => me.client.listReceivedFriendRequests({ pageSize: 3, pageToken }));
    expect(received.ids).toEqual((await me.client.listReceivedFriendRequests({ pageSize: 100 })).friendships.map((x) => x.id));
    expect(received.ids).toHaveLength(8);
    const accepted = await allPages((pageToken) => me.client.listFriendships({ status: "accepted", pageSize: 4, pageToken }));
    expect(accepted.ids).toHaveLength(8);
  });

  test("rows with the same timestamp are ordered by id and never repeated or skipped across pages", async () => {
    const me = await f.user();
    const others = await Promise.all(Array.from({ length: 9 }, () => f.user()));
    for (const other of others) await other.client.createFriendRequest({ addresseeId: me.id });
    await f.harness.orm.em
      .fork()
      .getConnection()
      .execute("update friendship set updated_at = '2026-01-01T00:00:00.123Z' where addressee_id = ?", [me.id]);
    const walked = await allPages((pageToken) => me.client.listFriendships({ pageSize: 2, pageToken }));
    expect(walked.ids).toHaveLength(9);
    expect(walked.ids).toEqual([...walked.ids].sort().reverse());
  });

  test("the default page size is 20 and more than 100 is 400", async () => {
    const me = await f.user();
    const others = await Promise.all(Array.from({ length: 21 }, () => f.user()));
    await Promise.all(others.map((o) => o.client.createFriendRequest({ addresseeId: me.id })));
    const first = await me.client.listFriendships({});
    expect(first.friendships).toHaveLength(20);
    expect(first.nextPageToken).not.toBe("");
    expect((await me.client.listFriendships({ pageToken: first.nextPageToken })).friendships).toHaveLength(1);
    expect((await failure(me.client.listFriendships({ pageSize: 101 }))).code).toBe(Code.InvalidArgument);
  });

  test("a page token that was not made by the service is 400 INVALID_PAGE_TOKEN", async () => {
    const me = await f.user();
    for (const pageToken of ["garbage", encodePageToken(["x", "y"]), encodePageToken([Date.now(), "not-a-uuid"])]) {
      expect(await failure(me.client.listFriendships({ pageToken }))).toMatchObject({
        code: Code.InvalidArgument,
        reason: "INVALID_PAGE_TOKEN",
      });
    }
  });

  test("a page token outside the documented base64url alphabet is refused by validation, field page_token", async () => {
    const me = await f.user();
    const answer = await failure(me.client.listFriendships({ pageToken: "garbage!" }));
    expect(answer).toMatchObject({ code: Code.InvalidArgument, reason: "VALIDATION_FAILED" });
    expect(answer.message).toContain("page_token");
  });

  test("an accepted request moves to the top: most recent activity first", async () => {
    const me = await f.user();
    const [a, b] = [await f.user(), await f.user()];
    const first = (await a.client.createFriendRequest({ addresseeId: me.id })).friendship!.id;
    await tick();
    const second = (await b.client.createFriendRequest({ addresseeId: me.id })).friendship!.id;
    expect((await me.client.listFriendships({})).friendships.map((x) => x.id)).toEqual([second, first]);
    await tick();
    await me.client.respondToFriendRequest({ id: first, action: "accept" });
    expect((await me.client.listFriendships({})).friendships.map((x) => x.id)).toEqual([first, second]);
  });
});
