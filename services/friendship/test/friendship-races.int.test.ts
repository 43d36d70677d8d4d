// Concurrency: the database decides. Parallel identical requests create one row; concurrent responses make
// one transition; every transition records exactly one event.
import { Code, ConnectError } from "@connectrpc/connect";
import { type FriendshipFixture, startFriendshipFixture, type TestUser } from "./friendship-fixture.ts";

let f: FriendshipFixture;
beforeAll(async () => {
  f = await startFriendshipFixture();
});
afterAll(() => f?.close());

const outcome = async <T>(call: Promise<T>): Promise<{ ok: T } | { code: Code }> => {
  try {
    return { ok: await call };
  } catch (err) {
    return { code: ConnectError.from(err).code };
  }
};

const rowsBetween = async (a: string, b: string) =>
  (await f.harness.orm.em
    .fork()
    .getConnection()
    .execute("select id, status from friendship where (requester_id = ? and addressee_id = ?) or (requester_id = ? and addressee_id = ?)", [
      a,
      b,
      b,
      a,
    ])) as {
    id: string;
    status: string;
  }[];

async function pair(): Promise<{ alice: TestUser; bob: TestUser }> {
  return { alice: await f.user(), bob: await f.user() };
}

test("8 identical requests in parallel: one 201, seven 409, one row, one event", async () => {
  const { alice, bob } = await pair();
  const statuses: number[] = [];
  const results = await Promise.all(
    Array.from({ length: 8 }, () =>
      outcome(
        alice.client.createFriendRequest(
          { addresseeId: bob.id },
          { onHeader: (h) => void statuses.push(Number(h.get("x-http-status") ?? 200)) },
        ),
      ),
    ),
  );
  const created = results.filter((r) => "ok" in r);
  expect(created).toHaveLength(1);
  expect(statuses).toEqual([201]);
  expect(results.filter((r) => "code" in r && r.code === Code.AlreadyExists)).toHaveLength(7);
  const rows = await rowsBetween(alice.id, bob.id);
  expect(rows).toHaveLength(1);
  expect((await f.outbox(rows[0]!.id)).map((e) => e.type)).toEqual(["friendship.requested"]);
});

test("requests crossing in parallel (A to B, B to A): one row, one requested, one accepted", async () => {
  for (let round = 0; round < 5; round++) {
    const { alice, bob } = await pair();
    const [ab, ba] = await Promise.all([
      alice.client.createFriendRequest({ addresseeId: bob.id }),
      bob.client.createFriendRequest({ addresseeId: alice.id }),
    ]);
    expect([ab.friendship!.status, ba.friendship!.status].sort()).toEqual(["accepted", "requested"]);
    expect(ab.friendship!.id).toBe(ba.friendship!.id);
    const rows = await rowsBetween(alice.id, bob.id);
    expect(rows).toEqual([{ id: ab.friendship!.id, status: "accepted" }]);
    expect((await f.outbox(rows[0]!.id)).map((e) => e.type)).toEqual(["friendship.requested", "friendship.accepted"]);
  }
});

test("parallel accepts: one transition, one event, both answer accepted", async () => {
  for (let round = 0; round < 5; round++) {
    const { alice, bob } = await pair();
    const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
    const id = friendship!.id;
    const results = await Promise.all(Array.from({ length: 6 }, () => bob.client.respondToFriendRequest({ id, action: "accept" })));
    expect(new Set(results.map((r) => r.friendship!.status))).toEqual(new Set(["accepted"]));
    expect(new Set(results.map((r) => `${r.friendship!.updatedAt!.seconds}.${r.friendship!.updatedAt!.nanos}`))).toHaveProperty("size", 1);
    expect((await f.outbox(id)).map((e) => e.type)).toEqual(["friendship.requested", "friendship.accepted"]);
  }
});

test("accept and reject racing: exactly one outcome, the loser gets 409, one event", async () => {
  for (let round = 0; round < 8; round++) {
    const { alice, bob } = await pair();
    const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
    const id = friendship!.id;
    const [accept, reject] = await Promise.all([
      outcome(bob.client.respondToFriendRequest({ id, action: "accept" })),
      outcome(bob.client.respondToFriendRequest({ id, action: "reject" })),
    ]);
    const winners = [accept, reject].filter((r) => "ok" in r);
    const losers = [accept, reject].filter((r) => "code" in r);
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([{ code: Code.FailedPrecondition }]);
    const state = "ok" in accept ? "accepted" : "rejected";
    expect(await rowsBetween(alice.id, bob.id)).toEqual([{ id, status: state }]);
    expect((await f.outbox(id)).map((e) => e.type)).toEqual(["friendship.requested", `friendship.${state}`]);
  }
});

test("a delete racing an accept: the row ends deleted or accepted-then-deleted, never half of each", async () => {
  for (let round = 0; round < 5; round++) {
    const { alice, bob } = await pair();
    const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
    const id = friendship!.id;
    const [accept, remove] = await Promise.all([
      outcome(bob.client.respondToFriendRequest({ id, action: "accept" })),
      outcome(alice.client.deleteFriendship({ id })),
    ]);
    expect("ok" in remove).toBe(true);
    expect(await rowsBetween(alice.id, bob.id)).toEqual([]);
    const events = (await f.outbox(id)).map((e) => e.type);
    if ("ok" in accept) expect(events).toEqual(["friendship.requested", "friendship.accepted", "friendship.removed"]);
    else expect(events).toEqual(["friendship.requested", "friendship.removed"]);
  }
});
