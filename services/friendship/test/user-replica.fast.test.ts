// The replica's effects against SQL: user.registered keeps what is there, profile.updated applies only
// when newer and never to a tombstone, user.deleted ends every relationship of the user (friendship.removed
// for a pending or accepted one) and leaves a tombstone.
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { events } from "@identity/proto/event-catalogue";
import { UserDeletedSchema, UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { ProfileUpdatedSchema } from "@identity/proto/identity/profile/v1/profile_events_pb.js";
import { newId } from "@identity/shared/ids.ts";
import { OutboxEntity } from "@identity/shared/outbox/outbox.entity.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import { applyProfileUpdated } from "../src/application/apply-profile-updated.ts";
import { applyUserDeleted } from "../src/application/apply-user-deleted.ts";
import { applyUserRegistered } from "../src/application/apply-user-registered.ts";
import { friendshipService } from "../src/definition.ts";
import { timestampToMicrosText, userEventEffects } from "../src/events/consumed.ts";
import { FriendshipEntity } from "../src/persistence/friendship.entity.ts";
import { KnownUserEntity } from "../src/persistence/known-user.entity.ts";

let db: FastOrm;
beforeAll(async () => {
  db = await startFastOrm(friendshipService);
});
afterAll(() => db.close());

const message = (topic: string, type: string, key: string, value: Uint8Array) => ({
  topic,
  key,
  value,
  headers: { ce_specversion: "1.0", ce_id: newId(), ce_type: type, ce_source: "test", "content-type": "application/protobuf" },
});
const effects = userEventEffects({
  applyUserRegistered: applyUserRegistered(),
  applyProfileUpdated: applyProfileUpdated(),
  applyUserDeleted: applyUserDeleted(),
});
const apply = (event: { type: string; topic: string }, key: string, value: Uint8Array) =>
  db.orm.em.fork().transactional((em) => effects[event.type]!(em, message(event.topic, event.type, key, value)));

const registered = (id: string, username: string) =>
  apply(events.userRegistered, id, toBinary(UserRegisteredSchema, create(UserRegisteredSchema, { userId: id, username })));
const profileUpdated = (id: string, displayName: string, updatedAt: Date) =>
  apply(
    events.profileUpdated,
    id,
    toBinary(
      ProfileUpdatedSchema,
      create(ProfileUpdatedSchema, { userId: id, username: "kept", displayName, updatedAt: timestampFromDate(updatedAt) }),
    ),
  );
const deleted = (id: string, deletedAt: Date) =>
  apply(
    events.userDeleted,
    id,
    toBinary(UserDeletedSchema, create(UserDeletedSchema, { userId: id, deletedAt: timestampFromDate(deletedAt) })),
  );
const known = (id: string) => db.orm.em.fork().findOne(KnownUserEntity, { id });

test("profile.updated applies only when newer; user.registered after it changes nothing", async () => {
  const id = newId();
  await profileUpdated(id, "Second", new Date("2026-03-01T10:00:02Z"));
  await profileUpdated(id, "First", new Date("2026-03-01T10:00:01Z"));
  await registered(id, "kept");
  expect(await known(id)).toMatchObject({ username: "kept", displayName: "Second" });
  await profileUpdated(id, "Third", new Date("2026-03-01T10:00:03Z"));
  expect(await known(id)).toMatchObject({ displayName: "Third" });
});

test("user.deleted ends the user's relationships, with friendship.removed for the live ones, and leaves a tombstone", async () => {
  const [gone, friend, asker, rejecter] = [newId(), newId(), newId(), newId()];
  for (const id of [gone, friend, asker, rejecter]) await registered(id, `u_${id.slice(0, 8)}`);
  const em = db.orm.em.fork();
  const at = new Date("2026-03-01T10:00:00Z");
  const rows = [
    { id: newId(), requesterId: gone, addresseeId: friend, status: "accepted" as const, createdAt: at, updatedAt: at },
    { id: newId(), requesterId: asker, addresseeId: gone, status: "requested" as const, createdAt: at, updatedAt: at },
    { id: newId(), requesterId: gone, addresseeId: rejecter, status: "rejected" as const, createdAt: at, updatedAt: at },
  ];
  for (const row of rows) em.create(FriendshipEntity, row);
  await em.flush();

  await deleted(gone, new Date("2026-03-02T00:00:00Z"));
  expect(await db.orm.em.fork().count(FriendshipEntity, { id: { $in: rows.map((r) => r.id) } })).toBe(0);
  const removed = await db.orm.em.fork().find(OutboxEntity, { key: { $in: rows.map((r) => r.id) } });
  expect(removed.map((e) => [e.key, e.type]).sort()).toEqual(
    [
      [rows[0]!.id, "friendship.removed"],
      [rows[1]!.id, "friendship.removed"],
    ].sort(),
  );
  expect(await known(gone)).toMatchObject({ username: "", displayName: "", deletedAt: new Date("2026-03-02T00:00:00Z") });

  await profileUpdated(gone, "Revived?", new Date("2026-03-03T00:00:00Z"));
  await registered(gone, "revived");
  expect(await known(gone)).toMatchObject({ username: "", displayName: "" });
});

test("a timestamp keeps its microseconds as text, so updates microseconds apart still order", () => {
  expect(timestampToMicrosText({ seconds: 1_772_359_200n, nanos: 123_456_789 } as never)).toBe("2026-03-01T10:00:00.123456Z");
});
