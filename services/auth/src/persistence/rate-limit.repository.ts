// Fixed-window counters shared by every replica. One upsert increments and returns the new count.
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql } from "./sql.ts";

export async function incrementBucket(em: EntityManager, key: string, windowStart: Date): Promise<number> {
  const [row] = await sql<{ count: number }>(
    em,
    `insert into rate_limit_bucket (key, window_start, count) values (?, ?, 1)
     on conflict (key, window_start) do update set count = rate_limit_bucket.count + 1 returning count`,
    [key, windowStart],
  );
  return Number(row?.count ?? 0);
}

export async function bucketCount(em: EntityManager, key: string, windowStart: Date): Promise<number> {
  const [row] = await sql<{ count: number }>(em, "select count from rate_limit_bucket where key = ? and window_start = ?", [
    key,
    windowStart,
  ]);
  return Number(row?.count ?? 0);
}

/** Forgets windows that ended long ago. */
export async function deleteBucketsBefore(em: EntityManager, before: Date): Promise<number> {
  const rows = await sql<{ key: string }>(em, "delete from rate_limit_bucket where window_start < ? returning key", [before]);
  return rows.length;
}
