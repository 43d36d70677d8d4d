import { createRateLimiter } from "../../src/embedded/rate-limiter.ts";

describe("token buckets per key", () => {
  it("allows `requests` per period, then refuses with the seconds until the refill", () => {
    let now = 0;
    const limiter = createRateLimiter(100, () => now);
    const limit = { requests: 3, periodSeconds: 60 };
    expect([1, 2, 3].map(() => limiter.take("a", limit).allowed)).toEqual([true, true, true]);
    now = 20_000;
    expect(limiter.take("a", limit)).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(limiter.take("b", limit).allowed).toBe(true);
    now = 60_000;
    expect(limiter.take("a", limit).allowed).toBe(true);
  });

  it("forgets the least recently used key beyond its capacity", () => {
    const limiter = createRateLimiter(2, () => 0);
    const limit = { requests: 1, periodSeconds: 60 };
    limiter.take("a", limit);
    limiter.take("b", limit);
    limiter.take("c", limit);
    expect(limiter.take("a", limit).allowed).toBe(true);
    expect(limiter.take("c", limit).allowed).toBe(false);
  });
});
