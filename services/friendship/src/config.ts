// The friendship service's own settings (the common ones — ports, DATABASE_URL, EVENT_BUS, KAFKA_BROKERS,
// JWKS_URL, JWT_*, TLS_* — are read by the shared bootstrap).
import type { CommonConfig, EnvReader } from "@identity/shared/config.ts";
import type { RateLimit } from "@identity/shared/rate-limit/rate-limit.repository.ts";

export interface FriendshipConfig {
  /** How long the outbox relay sleeps when it finds nothing to publish (it is also woken after commits). */
  outboxIdleDelayMs: number;
  /** New friend requests per account per window (the spec: 100 per day). */
  friendRequests: RateLimit;
}

export function readFriendshipConfig(env: EnvReader, _common: CommonConfig): FriendshipConfig {
  return {
    outboxIdleDelayMs: env.int("OUTBOX_IDLE_DELAY_MS", { default: 250, min: 10, max: 60_000 }),
    friendRequests: {
      limit: env.int("FRIEND_REQUESTS_PER_ACCOUNT_LIMIT", { default: 100, min: 1 }),
      windowSeconds: env.seconds("FRIEND_REQUESTS_PER_ACCOUNT_WINDOW", { default: "1d" }),
    },
  };
}
