// Per-client token buckets, as Envoy's local_ratelimit filter keeps them (see gateway/src/envoy/routes.ts):
// one bucket per route and client address, `requests` tokens refilled in full every `periodSeconds`
// (Envoy's fill_interval), for the most recent `trackedClients` keys. The key is the socket peer, never a
// header a client can set.

import type { RateLimit } from "../edge-policy.ts";

export type { RateLimit };

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the bucket refills: the `retry-after` of a refusal. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  /** When the bucket was last refilled, ms. */
  filledAt: number;
}

export interface RateLimiter {
  take(key: string, limit: RateLimit): RateDecision;
}

export function createRateLimiter(trackedKeys = 10_000, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    take(key, limit) {
      const periodMs = limit.periodSeconds * 1000;
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key);
        const fills = Math.floor((t - bucket.filledAt) / periodMs);
        if (fills > 0) bucket = { tokens: limit.requests, filledAt: bucket.filledAt + fills * periodMs };
      } else {
        bucket = { tokens: limit.requests, filledAt: t };
        if (buckets.size >= trackedKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
      }
      // Most recently used last, so the first key is the one to forget.
      buckets.set(key, bucket);
      if (bucket.tokens > 0) {
        bucket.tokens -= 1;
        return { allowed: true, retryAfterSeconds: 0 };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.filledAt + periodMs - t) / 1000)) };
    },
  };
}
