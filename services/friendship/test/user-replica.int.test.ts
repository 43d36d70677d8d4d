// The service's replica of users, fed by user.registered and profile.updated: idempotent by event id,
// never regressed by an older profile.updated, and what a caller sees while it lags.
import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { events, topics } from "@identity/proto/event-catalogue";
import { ProfileUpdatedSchema } from "@identity/proto/identity/profile/v1/profile_events_pb.js";
import { newId } from "@identity/shared/ids.ts";
import {
  eventMessage,
  type FriendshipFixture,
  failure,
  profileUpdated,
  startFriendshipFixture,
  userRegistered,
} from "./friendship-fixture.ts";

let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture();
});
afterAll(() => f?.close());

interface KnownUserRow {
  username: string;
  display_name: string;
  avatar_url: string;
}

const known = async (id: string): Promise<KnownUserRow | undefined> =>
  (
    (await f.harness.orm.em
      .fork()
      .getConnection()
      .execute("select username, display_name, avatar_url from known_user where id = ?", [id])) as KnownUserRow[]
  )[0];

const waitFor = async (condition: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

test("user.registered delivered twice (same ce_id) applies once", async () => {
  const id = newId();
  const message = userRegistered(id, "dora");
  expect(await f.consume(message)).toBe(true);
  expect(await f.consume(message)).toBe(false);
  expect(await known(id)).toEqual({ username: "dora", display_name: "dora", avatar_url: "" });
  const processed = (await f.harness.orm.em
    .fork()
    .getConnection()
    .execute("select count(*)::int as n from processed_event where consumer = 'friendship.users' and event_id = ?", [
      message.headers.ce_id,
    ])) as { n: number }[];
  expect(processed[0]!.n).toBe(1);
});

test("events published on the bus reach the replica (the consumer is subscribed to both topics)", async () => {
  const id = newId();
  const updatedAt = new Date();
  await f.harness.bus.publish([
    userRegistered(id, "erin"),
    profileUpdated({ id, username: "erin", displayName: "Erin E.", avatarUrl: "https://cdn.example.com/e.png", updatedAt }),
  ]);
  await waitFor(async () => (await known(id))?.display_name === "Erin E.", "the replica to apply the events");
  expect(await known(id)).toEqual({ username: "erin", display_name: "Erin E.", avatar_url: "https://cdn.example.com/e.png" });
});

test("an older profile.updated arriving after a newer one does not regress the replica", async () => {
  const id = newId();
  await f.consume(userRegistered(id, "fred"));
  const t1 = new Date("2026-03-01T10:00:00.000Z");
  const t2 = new Date("2026-03-01T10:00:01.000Z");
  const v2 = profileUpdated({ id, username: "fred", displayName: "Fred v2", updatedAt: t2 });
  expect(await f.consume(v2)).toBe(true);
  // The same event again (same ce_id) is recognised and skipped.
  expect(await f.consume(v2)).toBe(false);
  expect(await f.consume(profileUpdated({ id, username: "fred", displayName: "Fred v1", updatedAt: t1 }))).toBe(true);
  expect((await known(id))!.display_name).toBe("Fred v2");
  const t3 = new Date("2026-03-01T10:00:02.000Z");
  await f.consume(
    profileUpdated({ id, username: "fred", displayName: "Fred v3", avatarUrl: "https://cdn.example.com/f.png", updatedAt: t3 }),
  );
  expect(await known(id)).toEqual({ username: "fred", display_name: "Fred v3", avatar_url: "https://cdn.example.com/f.png" });
});

test("updates microseconds apart still order correctly", async () => {
  const id = newId();
  const at = (nanos: number) =>
    eventMessage(
      topics.profiles,
      events.profileUpdated.type,
      id,
      toBinary(
        ProfileUpdatedSchema,
        create(ProfileUpdatedSchema, {
          userId: id,
          username: "gina",
          displayName: `at ${nanos}`,
          updatedAt: { seconds: 1_780_000_000n, nanos },
        }),
      ),
    );
  await f.consume(at(123_457_000));
  await f.consume(at(123_456_000));
  expect((await known(id))!.display_name).toBe("at 123457000");
});

test("profile.updated before user.registered: the later registration keeps the profile's state", async () => {
  const id = newId();
  await f.consume(profileUpdated({ id, username: "hank", displayName: "Hank H.", updatedAt: new Date() }));
  await f.consume(userRegistered(id, "hank"));
  expect((await known(id))!.display_name).toBe("Hank H.");
});

test("a summary shows the replica's current profile", async () => {
  const alice = await f.user({ displayName: "Alice" });
  const bob = await f.user();
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  await f.consume(
    profileUpdated({
      id: bob.id,
      username: bob.username,
      displayName: "Bob the Builder",
      avatarUrl: "https://cdn.example.com/b.png",
      updatedAt: new Date(),
    }),
  );
  const [listed] = (await alice.client.listFriendships({})).friendships;
  expect(listed).toMatchObject({
    id: friendship!.id,
    addressee: { displayName: "Bob the Builder", avatarUrl: "https://cdn.example.com/b.png" },
    requester: { displayName: "Alice" },
  });
});

test("while the replica lags a registration, a request to that user is 404 USER_NOT_FOUND; once it catches up, 201", async () => {
  const alice = await f.user();
  const late = await f.user({ registered: false });
  expect(await failure(alice.client.createFriendRequest({ addresseeId: late.id }))).toMatchObject({
    code: Code.NotFound,
    reason: "USER_NOT_FOUND",
  });
  await f.consume(userRegistered(late.id, late.username));
  expect((await alice.client.createFriendRequest({ addresseeId: late.id })).friendship!.status).toBe("requested");
});
