// Fixed-window counters shared by every replica (table rate_limit_bucket, in the service's own database).
// Counting is one atomic statement: under any concurrency a bucket never passes its limit (the row lock of
// `on conflict do update` re-checks the count). Everything runs in the caller's transaction when it has one,
// so a reservation can be rolled back with the work it guarded.
import { type EntityManager, raw } from "@mikro-orm/core";
import { atomicSql } from "../orm/atomic-sql.ts";
import { RateLimitBucketEntity } from "./rate-limit-bucket.entity.ts";

export async function incrementBucket(em: EntityManager, key: string, windowStart: Date): Promise<number> {
  // Counter: insert-or-increment in one statement, so parallel hits each get their own count.
  const [row] = await atomicSql<{ count: number }>(
    em,
    `insert into rate_limit_bucket (key, window_start, count) values (?, ?, 1)
     on conflict (key, window_start) do update set count = rate_limit_bucket.count + 1 returning count`,
    [key, windowStart],
  );
  return Number(row?.count ?? 0);
}

/**
 * Counts one attempt only if the bucket is below `limit`, in one statement: the new count, or undefined
 * when the limit is already reached (then nothing changes).
 */
export async function reserveInBucket(em: EntityManager, key: string, windowStart: Date, limit: number): Promise<number | undefined> {
  // Decides (below the limit?) and counts in one statement under the row lock: throttles hold under parallel requests.
  const [row] = await atomicSql<{ count: number }>(
    em,
    `insert into rate_limit_bucket (key, window_start, count) values (?, ?, 1)
     on conflict (key, window_start) do update set count = rate_limit_bucket.count + 1 where rate_limit_bucket.count < ?
     returning count`,
    [key, windowStart, limit],
  );
  return row ? Number(row.count) : undefined;
}

/** Gives one reserved attempt back (never below zero). */
export async function releaseFromBucket(em: EntityManager, key: string, windowStart: Date): Promise<void> {
  // `count - 1` is computed by the database, so two releases running at once both count.
  await em.nativeUpdate(RateLimitBucketEntity, { key, windowStart, count: { $gt: 0 } }, { count: raw("count - 1") });
}

export async function bucketCount(em: EntityManager, key: string, windowStart: Date): Promise<number> {
  const row = await em.findOne(RateLimitBucketEntity, { key, windowStart }, { fields: ["count"], disableIdentityMap: true });
  return row?.count ?? 0;
}

/** Forgets windows that ended long ago. */
export function deleteBucketsBefore(em: EntityManager, before: Date): Promise<number> {
  return em.nativeDelete(RateLimitBucketEntity, { windowStart: { $lt: before } });
}

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export interface Window {
  start: Date;
  /** Seconds until the window ends: the retry hint. */
  remainingSeconds: number;
}

/** The fixed window `now` falls in. */
export function currentWindow(limit: RateLimit, now = Date.now()): Window {
  const ms = limit.windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  return { start: new Date(start), remainingSeconds: Math.max(1, Math.ceil((start + ms - now) / 1000)) };
}

/** Reserves one attempt in `key`'s current window: undefined when reserved, else the retry hint (seconds). */
export async function reserve(em: EntityManager, key: string, limit: RateLimit): Promise<number | undefined> {
  const window = currentWindow(limit);
  return (await reserveInBucket(em, key, window.start, limit.limit)) === undefined ? window.remainingSeconds : undefined;
}
