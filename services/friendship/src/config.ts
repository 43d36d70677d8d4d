// The friendship service's own settings (the common ones — ports, DATABASE_URL, EVENT_BUS, KAFKA_BROKERS,
// JWKS_URL, JWT_*, TLS_* — are read by the shared bootstrap).
import type { CommonConfig, EnvReader } from "@identity/shared/config.ts";

export interface FriendshipConfig {
  /** How long the outbox relay sleeps when it finds nothing to publish (it is also woken after commits). */
  outboxIdleDelayMs: number;
}

export function readFriendshipConfig(env: EnvReader, _common: CommonConfig): FriendshipConfig {
  return { outboxIdleDelayMs: env.int("OUTBOX_IDLE_DELAY_MS", { default: 250, min: 10, max: 60_000 }) };
}
