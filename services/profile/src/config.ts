// The profile service reads only the common configuration (ports, DATABASE_URL, EVENT_BUS, KAFKA_BROKERS,
// JWKS_URL, JWT_*, TLS_*): it has no settings of its own yet.
import type { CommonConfig, EnvReader } from "@identity/shared/config.ts";

export type ProfileConfig = Record<string, never>;

export function readProfileConfig(_env: EnvReader, _common: CommonConfig): ProfileConfig {
  return {};
}
