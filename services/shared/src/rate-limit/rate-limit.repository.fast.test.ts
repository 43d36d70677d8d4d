// The rate-limit counters' rules against SQL, in the fast tier: a reservation counts only below the limit
// and changes nothing once it is reached, also among parallel reservations; a reservation made in a
// transaction that rolls back is given back with it; a release never goes below zero.
import type { OrmOptions } from "../orm/create-orm.ts";
import { type FastOrm, startFastOrm } from "../testing/fast-orm.ts";
import { CreateRateLimitBuckets } from "./rate-limit.migration.ts";
import {
  bucketCount,
  currentWindow,
  deleteBucketsBefore,
  incrementBucket,
  releaseFromBucket,
  reserve,
  reserveInBucket,
} from "./rate-limit.repository.ts";
import { RateLimitBucketEntity } from "./rate-limit-bucket.entity.ts";

let db: FastOrm;
beforeAll(async () => {
  db = await startFastOrm({
    entities: [RateLimitBucketEntity] as unknown as OrmOptions["entities"],
    migrations: [{ name: "0001_rate_limit_bucket", class: CreateRateLimitBuckets }],
  });
});
afterAll(() => db.close());

const window = new Date("2026-01-01T10:00:00Z");
let n = 0;
const newKey = () => `test:bucket:${++n}`;
const em = () => db.orm.em.fork();

test("a reservation counts up to the limit, then refuses and changes nothing", async () => {
  const key = newKey();
  const counts = [];
  for (let i = 0; i < 4; i++) counts.push(await reserveInBucket(em(), key, window, 3));
  expect(counts).toEqual([1, 2, 3, undefined]);
  expect(await bucketCount(em(), key, window)).toBe(3);
});

test("of ten parallel reservations against a limit of three, exactly three are counted", async () => {
  const key = newKey();
  const counts = await Promise.all(Array.from({ length: 10 }, () => reserveInBucket(em(), key, window, 3)));
  expect(counts.filter((c) => c !== undefined).sort()).toEqual([1, 2, 3]);
  expect(await bucketCount(em(), key, window)).toBe(3);
});

test("each window and each key has its own count", async () => {
  const key = newKey();
  const next = new Date(window.getTime() + 60_000);
  expect(await reserveInBucket(em(), key, window, 1)).toBe(1);
  expect(await reserveInBucket(em(), key, window, 1)).toBeUndefined();
  expect(await reserveInBucket(em(), key, next, 1)).toBe(1);
  expect(await reserveInBucket(em(), newKey(), window, 1)).toBe(1);
});

test("a reservation made in a transaction that rolls back is given back", async () => {
  const key = newKey();
  await expect(
    em().transactional(async (tx) => {
      expect(await reserveInBucket(tx, key, window, 5)).toBe(1);
      throw new Error("the guarded work failed");
    }),
  ).rejects.toThrow("the guarded work failed");
  expect(await bucketCount(em(), key, window)).toBe(0);
});

test("a release gives one reservation back and never goes below zero", async () => {
  const key = newKey();
  await reserveInBucket(em(), key, window, 2);
  await reserveInBucket(em(), key, window, 2);
  expect(await reserveInBucket(em(), key, window, 2)).toBeUndefined();
  await releaseFromBucket(em(), key, window);
  expect(await reserveInBucket(em(), key, window, 2)).toBe(2);
  await Promise.all([1, 2, 3].map(() => releaseFromBucket(em(), key, window)));
  expect(await bucketCount(em(), key, window)).toBe(0);
  await releaseFromBucket(em(), newKey(), window); // no bucket: nothing to give back
});

test("a hit is counted past the limit: the caller compares the count", async () => {
  const key = newKey();
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push(await incrementBucket(em(), key, window));
  expect(counts).toEqual([1, 2, 3]);
});

test("reserve answers the seconds left in the current window once the limit is reached", async () => {
  const key = newKey();
  const limit = { limit: 1, windowSeconds: 3600 };
  expect(await reserve(em(), key, limit)).toBeUndefined();
  const retryAfter = await reserve(em(), key, limit);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(3600);
});

test("old windows are swept, the current one is kept", async () => {
  const key = newKey();
  const old = new Date(window.getTime() - 86_400_000);
  await incrementBucket(em(), key, old);
  await incrementBucket(em(), key, window);
  expect(await deleteBucketsBefore(em(), new Date(window.getTime() - 3_600_000))).toBeGreaterThanOrEqual(1);
  expect(await bucketCount(em(), key, old)).toBe(0);
  expect(await bucketCount(em(), key, window)).toBe(1);
});

test("the current window starts on a multiple of its length and its retry hint is at least one second", () => {
  const now = Date.parse("2026-01-01T10:00:59.500Z");
  expect(currentWindow({ limit: 1, windowSeconds: 60 }, now)).toEqual({ start: new Date("2026-01-01T10:00:00Z"), remainingSeconds: 1 });
  expect(currentWindow({ limit: 1, windowSeconds: 60 }, Date.parse("2026-01-01T10:00:00Z")).remainingSeconds).toBe(60);
});
