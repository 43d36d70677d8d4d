// At most FRIEND_REQUESTS_PER_ACCOUNT_LIMIT (100 per day by default) new friend requests per account, counted
// first and atomically: 30 requests at once against a limit of 10 create exactly 10; past the limit 429
// RATE_LIMITED with retry-after; refused requests (404, 409) and accepting the other's request use nothing.
import { Code } from "@connectrpc/connect";
import { type FriendshipFixture, failure, startFriendshipFixture } from "./friendship-fixture.ts";

const LIMIT = 10;
let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture({ FRIEND_REQUESTS_PER_ACCOUNT_LIMIT: String(LIMIT) });
});
afterAll(() => f?.close());

test("the default is 100 new requests per account per day", async () => {
  const { readFriendshipConfig } = await import("../src/config.ts");
  const { EnvReader } = await import("@identity/shared/config.ts");
  const config = readFriendshipConfig(new EnvReader({ ENVIRONMENT: "dev" }), {} as never);
  expect(config.friendRequests).toEqual({ limit: 100, windowSeconds: 86_400 });
});

test("30 parallel requests to 30 users against a limit of 10: exactly 10 are created, the rest 429 RATE_LIMITED", async () => {
  const spammer = await f.user();
  const targets = await Promise.all(Array.from({ length: 30 }, () => f.user()));
  const results = await Promise.all(
    targets.map((t) =>
      spammer.client.createFriendRequest({ addresseeId: t.id }).then(
        () => "created",
        async (err: unknown) => (await failure(Promise.reject(err))).reason,
      ),
    ),
  );
  expect(results.filter((r) => r === "created")).toHaveLength(LIMIT);
  expect(results.filter((r) => r === "RATE_LIMITED")).toHaveLength(30 - LIMIT);
  const refused = await failure(spammer.client.createFriendRequest({ addresseeId: (await f.user()).id }));
  expect(refused).toMatchObject({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
  const sent = (await f.outbox()).filter((e) => e.requesterId === spammer.id && e.type === "friendship.requested");
  expect(sent).toHaveLength(LIMIT);
});

test("refused requests use nothing, and accepting the other's pending request is not a new request", async () => {
  const alice = await f.user();
  const bob = await f.user();
  for (let i = 0; i < LIMIT - 1; i++) await alice.client.createFriendRequest({ addresseeId: (await f.user()).id });
  // 409 (already pending) and 404 (unknown user) do not count.
  await alice.client.createFriendRequest({ addresseeId: bob.id });
  for (let i = 0; i < 3; i++)
    expect(await failure(alice.client.createFriendRequest({ addresseeId: bob.id }))).toMatchObject({ code: Code.AlreadyExists });
  const ghost = await f.user({ registered: false });
  expect(await failure(alice.client.createFriendRequest({ addresseeId: ghost.id }))).toMatchObject({ code: Code.NotFound });
  // Alice has used all 10: a new one is refused, but accepting Carol's request still works.
  expect(await failure(alice.client.createFriendRequest({ addresseeId: (await f.user()).id }))).toMatchObject({ reason: "RATE_LIMITED" });
  const carol = await f.user();
  await carol.client.createFriendRequest({ addresseeId: alice.id });
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: carol.id });
  expect(friendship?.status).toBe("accepted");
});
