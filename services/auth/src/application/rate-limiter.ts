// Throttling that holds across replicas: fixed windows counted in PostgreSQL (rate_limit_bucket). A window
// ends by itself, so a victim's account is slowed while someone guesses, never locked for good.

import { resourceExhausted } from "@identity/shared/errors.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { RateLimit } from "../config.ts";
import { incrementBucket } from "../persistence/rate-limit.repository.ts";

export interface Window {
  start: Date;
  /** Seconds until the window ends: the retry hint. */
  remainingSeconds: number;
}

export function currentWindow(limit: RateLimit, now = Date.now()): Window {
  const ms = limit.windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  return { start: new Date(start), remainingSeconds: Math.max(1, Math.ceil((start + ms - now) / 1000)) };
}

export const keys = {
  loginAccountPrefix: "login:account:",
  loginClient: (client: string) => `login:client:${client}`,
  registerClient: (client: string) => `register:client:${client}`,
  otpClient: (client: string) => `otp:client:${client}`,
};

export const rateLimited = (retryAfterSeconds: number) =>
  resourceExhausted("RATE_LIMITED", "Request was throttled. Expected available in " + retryAfterSeconds + " seconds.", retryAfterSeconds);

/** Counts one event against `key`; returns the retry hint when the limit is now exceeded, else undefined. */
export async function hit(em: EntityManager, key: string, limit: RateLimit): Promise<number | undefined> {
  const window = currentWindow(limit);
  const count = await incrementBucket(em, key, window.start);
  return count > limit.limit ? window.remainingSeconds : undefined;
}
