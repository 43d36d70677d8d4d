// The lists against SQL: most recent activity first, keyset pages that end without a token, rejected
// requests hidden, the received list only what is addressed to the caller and pending.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { newId } from "@identity/shared/ids.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import { applyUserRegistered } from "../src/application/apply-user-registered.ts";
import { checkFriendship } from "../src/application/check-friendship.ts";
import { createFriendRequest } from "../src/application/create-friend-request.ts";
import { listFriendships, listReceivedFriendRequests } from "../src/application/list-friendships.ts";
import { respondToFriendRequest } from "../src/application/respond-to-friend-request.ts";
import { friendshipService } from "../src/definition.ts";

let db: FastOrm;
let tick = Date.parse("2026-03-01T10:00:00.000Z");
const now = () => {
  tick += 1000;
  return new Date(tick);
};

beforeAll(async () => {
  db = await startFastOrm(friendshipService);
});
afterAll(() => db.close());

let n = 0;
async function user(): Promise<Caller> {
  const caller = { userId: newId(), username: `lister_${++n}`, emailVerified: true };
  await applyUserRegistered()(db.orm.em.fork(), { id: caller.userId, username: caller.username });
  return caller;
}

const request = (from: Caller, to: Caller) =>
  createFriendRequest({ orm: db.orm, now, friendRequestLimit: { limit: 100, windowSeconds: 86_400 } })(from, to.userId);
const respond = (caller: Caller, id: string, action: "accept" | "reject") =>
  respondToFriendRequest({ orm: db.orm, now })(caller, id, action);
const list: ReturnType<typeof listFriendships> = (...args) => listFriendships({ orm: db.orm })(...args);
const received: ReturnType<typeof listReceivedFriendRequests> = (...args) => listReceivedFriendRequests({ orm: db.orm })(...args);

test("a user's list: sent and received, most recent activity first, rejected hidden, paged to the end", async () => {
  const me = await user();
  const [a, b, c, d, e] = [await user(), await user(), await user(), await user(), await user()];
  const toA = (await request(me, a)).friendship;
  const fromB = (await request(b, me)).friendship;
  const toC = (await request(me, c)).friendship;
  const fromD = (await request(d, me)).friendship;
  await respond(me, fromD.id, "reject");
  const fromE = (await request(e, me)).friendship;
  await respond(me, fromB.id, "accept"); // moves to the top

  const ids = async (status: "" | "requested" | "accepted", pageSize: number) => {
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await list(me.userId, status, { pageSize, pageToken });
      expect(page.friendships.length).toBeLessThanOrEqual(pageSize);
      seen.push(...page.friendships.map((f) => f.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return seen;
  };
  expect(await ids("", 2)).toEqual([fromB.id, fromE.id, toC.id, toA.id]);
  expect(await ids("", 4)).toEqual([fromB.id, fromE.id, toC.id, toA.id]);
  expect(await ids("accepted", 10)).toEqual([fromB.id]);
  expect(await ids("requested", 1)).toEqual([fromE.id, toC.id, toA.id]);

  const page = await list(me.userId, "", { pageSize: 4, pageToken: "" });
  expect(page.nextPageToken).toBe("");
  expect(page.friendships[0]).toMatchObject({ status: "accepted", requester: { id: b.userId, username: b.username } });
  expect((await received(me.userId, { pageSize: 10, pageToken: "" })).friendships.map((f) => f.id)).toEqual([fromE.id]);
});

test("a page token that is not one of ours is refused", async () => {
  const me = await user();
  await expect(list(me.userId, "", { pageSize: 10, pageToken: "not-a-token" })).rejects.toMatchObject({ reason: "INVALID_PAGE_TOKEN" });
});

test("two users are friends only once a request between them is accepted, whatever its direction", async () => {
  const [ann, ben] = [await user(), await user()];
  const check = checkFriendship({ orm: db.orm });
  const { friendship } = await request(ann, ben);
  expect(await check(ann.userId, ben.userId)).toBe(false);
  await respond(ben, friendship.id, "accept");
  expect(await check(ann.userId, ben.userId)).toBe(true);
  expect(await check(ben.userId, ann.userId)).toBe(true);
});
