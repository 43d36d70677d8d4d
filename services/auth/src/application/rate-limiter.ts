// Throttling that holds across replicas: fixed windows counted in PostgreSQL (rate_limit_bucket, shared
// code in @identity/shared/rate-limit). A window ends by itself, so a victim's account is slowed while someone
// guesses, never locked for good.
import type { RateLimit } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import { currentWindow, incrementBucket } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import type { EntityManager } from "@mikro-orm/postgresql";

export { rateLimited } from "@identity/shared/errors.ts";
export { currentWindow };

export const keys = {
  loginAccountPrefix: "login:account:",
  loginClient: (client: string) => `login:client:${client}`,
  registerClient: (client: string) => `register:client:${client}`,
  otpClient: (client: string) => `otp:client:${client}`,
  passwordResetClient: (client: string) => `reset:client:${client}`,
};

/** Counts one event against `key` (first, before the work); returns the retry hint when the limit is now exceeded, else undefined. */
export async function hit(em: EntityManager, key: string, limit: RateLimit): Promise<number | undefined> {
  const window = currentWindow(limit);
  const count = await incrementBucket(em, key, window.start);
  return count > limit.limit ? window.remainingSeconds : undefined;
}
