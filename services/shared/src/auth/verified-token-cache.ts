// Verified access tokens, remembered until they expire. A client presents the same access token on every
// request of its lifetime (minutes): verifying its ES256 signature again each time was the largest single
// cost of an authenticated read (about 14 % of the profile service's CPU). Only tokens that passed full
// verification are stored, keyed by the exact token string, and served only before their `exp`; the map is
// bounded (the oldest entries go first), so a flood of valid tokens cannot grow it without limit.
// Revocation is not cached here: checks that must see a revocation at once run after verification.
import type { Caller } from "./caller.ts";

export interface VerifiedTokenCache {
  get(token: string, nowMs?: number): Caller | undefined;
  remember(token: string, caller: Caller, expiresAtMs: number): void;
  readonly size: number;
}

export function createVerifiedTokenCache(maxEntries = 10_000): VerifiedTokenCache {
  const entries = new Map<string, { caller: Caller; expiresAtMs: number }>();
  return {
    get(token, nowMs = Date.now()) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.expiresAtMs > nowMs) return entry.caller;
      entries.delete(token);
      return undefined;
    },
    remember(token, caller, expiresAtMs) {
      if (entries.size >= maxEntries) {
        // Maps iterate in insertion order: the first key is the oldest entry.
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(token, { caller, expiresAtMs });
    },
    get size() {
      return entries.size;
    },
  };
}
