// The Idempotency-Key table's rules, on PostgreSQL: one claim per key at a time, also among concurrent
// claims; a holder that died (its lock ran out) is taken over only by the same request; an expired key is new.
import { useTestOrm } from "../testing/test-orm.ts";
import { createIdempotencyStore } from "./idempotency-store.ts";

const suite = useTestOrm("shared_idempotency");

const hash = (s: string) => Buffer.from(s.padEnd(32, "."));
let n = 0;
const newId = (principal = "") => ({ method: "test.v1.Service/Write", principal, key: `key-${++n}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("of twenty concurrent claims of one key exactly one wins; the answer is then stored for the others", async () => {
  const store = createIdempotencyStore(suite.orm, { ttlMs: 60_000, lockMs: 60_000 });
  const id = newId();
  const wins = await Promise.all(Array.from({ length: 20 }, () => store.claim(id, hash("a"))));
  expect(wins.filter(Boolean)).toHaveLength(1);
  await store.complete(id, Buffer.from("answer"), { "x-http-status": "201" });
  expect(await store.find(id)).toEqual({
    requestHash: hash("a"),
    state: "done",
    response: Buffer.from("answer"),
    responseHeaders: { "x-http-status": "201" },
  });
  expect(await store.claim(id, hash("a"))).toBe(false);
});

test("keys are per caller: the same key of another user is another key", async () => {
  const store = createIdempotencyStore(suite.orm, { ttlMs: 60_000, lockMs: 60_000 });
  const alice = newId("alice");
  expect(await store.claim(alice, hash("a"))).toBe(true);
  expect(await store.claim({ ...alice, principal: "bob" }, hash("b"))).toBe(true);
});

test("a pending key whose lock ran out is taken over by the same request only", async () => {
  const store = createIdempotencyStore(suite.orm, { ttlMs: 60_000, lockMs: 200 });
  const id = newId();
  expect(await store.claim(id, hash("a"))).toBe(true);
  expect(await store.claim(id, hash("a"))).toBe(false);
  await sleep(400);
  expect(await store.claim(id, hash("other"))).toBe(false);
  expect(await store.claim(id, hash("a"))).toBe(true);
});

test("a released key is free; an expired one is new and purged", async () => {
  const store = createIdempotencyStore(suite.orm, { ttlMs: 300, lockMs: 60_000 });
  const released = newId();
  expect(await store.claim(released, hash("a"))).toBe(true);
  await store.release(released);
  expect(await store.claim(released, hash("b"))).toBe(true);

  const expired = newId();
  expect(await store.claim(expired, hash("a"))).toBe(true);
  await store.complete(expired, Buffer.from("old"), {});
  await sleep(500);
  expect(await store.find(expired)).toBeUndefined();
  expect(await store.purge()).toBeGreaterThanOrEqual(1);
  expect(await store.claim(expired, hash("b"))).toBe(true);
});
