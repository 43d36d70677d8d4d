// The friend-request use cases against the service's real migrations on the in-process PostgreSQL: the
// rules of domain/ applied on locked rows, the rows they leave, the events they record, and which requests
// count against the per-account limit.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { newId } from "@identity/shared/ids.ts";
import { OutboxEntity } from "@identity/shared/outbox/outbox.entity.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import { applyUserRegistered } from "../src/application/apply-user-registered.ts";
import { createFriendRequest } from "../src/application/create-friend-request.ts";
import { deleteFriendship } from "../src/application/delete-friendship.ts";
import { respondToFriendRequest } from "../src/application/respond-to-friend-request.ts";
import { friendshipService } from "../src/definition.ts";
import { FriendshipEntity } from "../src/persistence/friendship.entity.ts";
import { markUserDeleted } from "../src/persistence/known-user.repository.ts";

let db: FastOrm;
let clock = new Date("2026-03-01T10:00:00.000Z");
const now = () => clock;
const later = () => {
  clock = new Date(clock.getTime() + 1000);
};

beforeAll(async () => {
  db = await startFastOrm(friendshipService);
});
afterAll(() => db.close());

const useCases = (limit = 100) => {
  const orm = db.orm;
  return {
    request: createFriendRequest({ orm, now, friendRequestLimit: { limit, windowSeconds: 86_400 } }),
    respond: respondToFriendRequest({ orm, now }),
    remove: deleteFriendship({ orm, now }),
  };
};

let n = 0;
/** A verified user the replica knows (user.registered applied). */
async function user(emailVerified = true): Promise<Caller> {
  const caller = { userId: newId(), username: `user_${++n}`, emailVerified };
  await applyUserRegistered()(db.orm.em.fork(), { id: caller.userId, username: caller.username });
  return caller;
}

const eventsOf = async (friendshipId: string) =>
  (await db.orm.em.fork().find(OutboxEntity, { key: friendshipId }, { orderBy: { occurredAt: "asc", id: "asc" } })).map((e) => e.type);
const rowOf = (id: string) => db.orm.em.fork().findOne(FriendshipEntity, { id });

test("a first request creates the pair's row, requested, with friendship.requested", async () => {
  const [ann, ben] = [await user(), await user()];
  const { friendship, created } = await useCases().request(ann, ben.userId);
  expect(created).toBe(true);
  expect(friendship).toMatchObject({ requesterId: ann.userId, addresseeId: ben.userId, status: "requested" });
  expect(friendship.requester).toEqual({ id: ann.userId, username: ann.username, displayName: ann.username, avatarUrl: "" });
  expect(await eventsOf(friendship.id)).toEqual(["friendship.requested"]);
});

test("a request to someone who asked you first accepts theirs: the same row, accepted, not a new request", async () => {
  const [ann, ben] = [await user(), await user()];
  const asked = await useCases().request(ann, ben.userId);
  later();
  const back = await useCases().request(ben, ann.userId);
  expect(back.created).toBe(false);
  expect(back.friendship).toMatchObject({ id: asked.friendship.id, requesterId: ann.userId, addresseeId: ben.userId, status: "accepted" });
  expect(await rowOf(asked.friendship.id)).toMatchObject({ status: "accepted", updatedAt: clock });
  expect(await eventsOf(asked.friendship.id)).toEqual(["friendship.requested", "friendship.accepted"]);
});

test("asking again while pending, or when already friends, is a conflict and changes nothing", async () => {
  const [ann, ben] = [await user(), await user()];
  const { friendship } = await useCases().request(ann, ben.userId);
  await expect(useCases().request(ann, ben.userId)).rejects.toMatchObject({ reason: "FRIEND_REQUEST_PENDING" });
  await useCases().respond(ben, friendship.id, "accept");
  await expect(useCases().request(ann, ben.userId)).rejects.toMatchObject({ reason: "ALREADY_FRIENDS" });
  await expect(useCases().request(ben, ann.userId)).rejects.toMatchObject({ reason: "ALREADY_FRIENDS" });
  expect(await eventsOf(friendship.id)).toEqual(["friendship.requested", "friendship.accepted"]);
});

test("after a rejection either party may ask: the same row turns to the asker's direction, dated now", async () => {
  const [ann, ben] = [await user(), await user()];
  const { friendship } = await useCases().request(ann, ben.userId);
  await useCases().respond(ben, friendship.id, "reject");
  later();
  const renewed = await useCases().request(ben, ann.userId);
  expect(renewed.created).toBe(true);
  expect(await rowOf(friendship.id)).toMatchObject({
    requesterId: ben.userId,
    addresseeId: ann.userId,
    status: "requested",
    createdAt: clock,
    updatedAt: clock,
  });
});

test("unverified callers, oneself, unknown and deleted users are refused before anything is written", async () => {
  const [ann, ben] = [await user(), await user()];
  await expect(useCases().request({ ...ann, emailVerified: false }, ben.userId)).rejects.toMatchObject({ reason: "EMAIL_NOT_VERIFIED" });
  await expect(useCases().request(ann, ann.userId)).rejects.toMatchObject({ reason: "CANNOT_BEFRIEND_SELF" });
  await expect(useCases().request(ann, newId())).rejects.toMatchObject({ reason: "USER_NOT_FOUND" });
  await markUserDeleted(db.orm.em.fork(), ben.userId, clock);
  await expect(useCases().request(ann, ben.userId)).rejects.toMatchObject({ reason: "USER_NOT_FOUND" });
  await expect(useCases().request(ben, ann.userId)).rejects.toMatchObject({ reason: "ACCOUNT_DELETED" });
});

test("new requests are counted against the limit; a conflict and accepting theirs are not", async () => {
  const [ann, ben, cat, dan] = [await user(), await user(), await user(), await user()];
  const limited = useCases(2);
  await limited.request(ann, ben.userId);
  await expect(limited.request(ann, ben.userId)).rejects.toMatchObject({ reason: "FRIEND_REQUEST_PENDING" });
  await limited.request(ann, cat.userId);
  await expect(limited.request(ann, dan.userId)).rejects.toMatchObject({ reason: "RATE_LIMITED" });
  // Accepting the other's pending request is not a new request: not counted.
  await limited.request(dan, ann.userId);
  expect((await limited.request(ann, dan.userId)).created).toBe(false);
});

test("of parallel requests between the same two users, crossing or not, one row is created", async () => {
  const [ann, ben] = [await user(), await user()];
  const results = await Promise.allSettled([
    useCases().request(ann, ben.userId),
    useCases().request(ben, ann.userId),
    useCases().request(ann, ben.userId),
  ]);
  const ids = new Set(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.friendship.id] : [])));
  expect(ids.size).toBe(1);
  const rows = await db.orm.em.fork().find(FriendshipEntity, { $or: [{ requesterId: ann.userId }, { requesterId: ben.userId }] });
  expect(rows).toHaveLength(1);
});

test("a response: only the addressee decides; a repeat is unchanged and records nothing; the other action is refused", async () => {
  const [ann, ben, cat] = [await user(), await user(), await user()];
  const { friendship } = await useCases().request(ann, ben.userId);
  await expect(useCases().respond(cat, friendship.id, "accept")).rejects.toMatchObject({ reason: "FRIENDSHIP_NOT_FOUND" });
  await expect(useCases().respond(ann, friendship.id, "accept")).rejects.toMatchObject({ reason: "NOT_ADDRESSEE" });
  later();
  const accepted = await useCases().respond(ben, friendship.id, "accept");
  expect(accepted).toMatchObject({ status: "accepted", updatedAt: clock });
  const decidedAt = clock;
  later();
  expect(await useCases().respond(ben, friendship.id, "accept")).toMatchObject({ status: "accepted", updatedAt: decidedAt });
  await expect(useCases().respond(ben, friendship.id, "reject")).rejects.toMatchObject({ reason: "FRIEND_REQUEST_ALREADY_DECIDED" });
  expect(await eventsOf(friendship.id)).toEqual(["friendship.requested", "friendship.accepted"]);
});

test("a deletion: either party ends it with friendship.removed; a rejected request and non-parties are not found", async () => {
  const [ann, ben, cat] = [await user(), await user(), await user()];
  const { friendship } = await useCases().request(ann, ben.userId);
  await expect(useCases().remove(cat, friendship.id)).rejects.toMatchObject({ reason: "FRIENDSHIP_NOT_FOUND" });
  await useCases().remove(ben, friendship.id);
  expect(await rowOf(friendship.id)).toBeNull();
  expect(await eventsOf(friendship.id)).toEqual(["friendship.requested", "friendship.removed"]);
  await expect(useCases().remove(ann, friendship.id)).rejects.toMatchObject({ reason: "FRIENDSHIP_NOT_FOUND" });

  const rejected = (await useCases().request(ann, cat.userId)).friendship;
  await useCases().respond(cat, rejected.id, "reject");
  await expect(useCases().remove(ann, rejected.id)).rejects.toMatchObject({ reason: "FRIENDSHIP_NOT_FOUND" });
  expect(await rowOf(rejected.id)).not.toBeNull();
});
