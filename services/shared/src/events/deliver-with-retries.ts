// One message's delivery to a handler, shared by both buses: retried with capped exponential backoff; given
// up after maxAttempts (or at once for a PoisonMessageError) so that the caller dead-letters it; a
// TransientEventError is retried for as long as the consumer runs.
import { type EventHandler, type EventMessage, PoisonMessageError, TransientEventError } from "./event-bus.ts";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

export type Delivery = { ok: true } | { ok: false; error: unknown };

export interface DeliveryHooks {
  /** False once the consumer is stopping: the message is then left for the next run (not committed). */
  isRunning(): boolean;
  /** Called while waiting between attempts (Kafka: keeps the group membership alive). */
  heartbeat?(): Promise<void>;
  onRetry?(error: unknown, attempt: number): void;
}

export class DeliveryAborted extends Error {
  override name = "DeliveryAborted";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function deliverWithRetries(
  handler: EventHandler,
  message: EventMessage,
  policy: RetryPolicy,
  hooks: DeliveryHooks,
): Promise<Delivery> {
  let failures = 0;
  let waits = 0;
  for (;;) {
    if (!hooks.isRunning()) throw new DeliveryAborted("consumer stopping");
    try {
      await handler(message);
      return { ok: true };
    } catch (error) {
      if (error instanceof PoisonMessageError) return { ok: false, error };
      if (!(error instanceof TransientEventError)) failures += 1;
      if (failures >= policy.maxAttempts) return { ok: false, error };
      waits += 1;
      hooks.onRetry?.(error, waits);
      await sleep(Math.min(policy.baseDelayMs * 2 ** (Math.min(waits, 16) - 1), policy.maxDelayMs));
      await hooks.heartbeat?.();
    }
  }
}
