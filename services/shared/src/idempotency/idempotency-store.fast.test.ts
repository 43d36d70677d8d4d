// The Idempotency-Key store's rules against SQL, in the fast tier. Instead of waiting for a lock or a key
// to run out, a test ages the row: a holder that died and an expired key are then deterministic.
import { type FastOrm, startFastOrm } from "../testing/fast-orm.ts";
import { IdempotencyKeyEntity } from "./idempotency.entity.ts";
import { createIdempotencyStore, type KeyId } from "./idempotency-store.ts";

let db: FastOrm;
beforeAll(async () => {
  db = await startFastOrm({ entities: [], migrations: [] });
});
afterAll(() => db.close());

const HOUR = 3_600_000;
const requestHash = (request: string) => Buffer.from(request.padEnd(32, "-"));
let n = 0;
const freshKey = (principal = "user-1"): KeyId => ({ method: "identity.test.v1.Test/Write", principal, key: `fast-${++n}` });
const store = () => createIdempotencyStore(db.orm, { ttlMs: 24 * HOUR, lockMs: 30_000 });
/** A key claimed by request "a" and answered with `answer`. */
const answeredKey = async (answer: string, headers: Record<string, string> = {}) => {
  const id = freshKey();
  await store().claim(id, requestHash("a"));
  await store().complete(id, Buffer.from(answer), headers);
  return id;
};
/** Moves a key's lock and creation into the past, as if its request had started `ms` ago. */
const age = (id: KeyId, ms: number) =>
  db.orm.em.fork().nativeUpdate(IdempotencyKeyEntity, id, {
    lockedUntil: new Date(Date.now() - ms + 30_000),
    createdAt: new Date(Date.now() - ms),
  });

test("the first claim holds the key; a second one while it runs does not", async () => {
  const id = freshKey();
  expect(await store().claim(id, requestHash("a"))).toBe(true);
  expect(await store().claim(id, requestHash("a"))).toBe(false);
  expect(await store().find(id)).toEqual({ requestHash: requestHash("a"), state: "pending", response: null, responseHeaders: null });
});

test("of parallel claims of one key exactly one wins", async () => {
  const id = freshKey();
  const wins = await Promise.all(Array.from({ length: 8 }, () => store().claim(id, requestHash("a"))));
  expect(wins.filter(Boolean)).toHaveLength(1);
});

test("a completed key keeps its answer to replay and cannot be claimed again", async () => {
  const id = await answeredKey("the answer", { "x-http-status": "201" });
  expect(await store().claim(id, requestHash("a"))).toBe(false);
  expect(await store().find(id)).toEqual({
    requestHash: requestHash("a"),
    state: "done",
    response: Buffer.from("the answer"),
    responseHeaders: { "x-http-status": "201" },
  });
});

test("a released key runs anew, with another request too", async () => {
  const id = freshKey();
  await store().claim(id, requestHash("a"));
  await store().release(id);
  expect(await store().find(id)).toBeUndefined();
  expect(await store().claim(id, requestHash("b"))).toBe(true);
});

test("release and complete touch a pending key only: a done answer stays", async () => {
  const id = await answeredKey("first");
  await store().release(id);
  await store().complete(id, Buffer.from("second"), {});
  expect((await store().find(id))?.response).toEqual(Buffer.from("first"));
});

test("the same key of another caller or another method is another key", async () => {
  const id = freshKey("alice");
  expect(await store().claim(id, requestHash("a"))).toBe(true);
  expect(await store().claim({ ...id, principal: "bob" }, requestHash("a"))).toBe(true);
  expect(await store().claim({ ...id, method: "identity.test.v1.Test/Other" }, requestHash("a"))).toBe(true);
});

test("a pending key whose holder died is taken over by the same request only", async () => {
  const id = freshKey();
  await store().claim(id, requestHash("a"));
  await age(id, 60_000);
  expect(await store().claim(id, requestHash("another request"))).toBe(false);
  expect(await store().claim(id, requestHash("a"))).toBe(true);
  expect(await store().claim(id, requestHash("a"))).toBe(false);
});

test("an expired key is not found, is claimed as new and is purged", async () => {
  const id = await answeredKey("old");
  const kept = freshKey();
  await store().claim(kept, requestHash("a"));
  await age(id, 25 * HOUR);
  expect(await store().find(id)).toBeUndefined();
  expect(await store().purge()).toBe(1);
  expect(await store().find(kept)).toBeDefined();
  expect(await store().claim(id, requestHash("b"))).toBe(true);
});

test("an expired key is taken over by a new request before any purge", async () => {
  const id = await answeredKey("old");
  await age(id, 25 * HOUR);
  expect(await store().claim(id, requestHash("b"))).toBe(true);
  expect(await store().find(id)).toMatchObject({ requestHash: requestHash("b"), state: "pending", response: null });
});
