// An idempotent consumer: each event's effect and its id (the processed_event row) are written in one
// transaction, so a redelivered event finds its id and has no second effect. A run of events fetched
// together is applied in ONE transaction (applyBatchOnce: one processed_event insert for all their ids, the
// effects of the new ones in order, one commit); if that transaction fails, the bus hands the same events
// over one at a time (applyOnce), which isolates the culprit. A message without ce_id or
// ce_type is poison (dead-lettered at once); a failure while the consumer's own database is down is
// transient (retried without limit, never dead-lettered).
import type { EntityManager } from "@mikro-orm/core";
import type { MikroORM, EntityManager as SqlEntityManager } from "@mikro-orm/postgresql";
import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import { checkDatabase } from "../orm/create-orm.ts";
import { InboxEntity } from "../outbox/inbox.entity.ts";
import { createConsumerMetrics } from "./consumer-metrics.ts";
import { type EventMessage, type EventSubscriber, PoisonMessageError, TransientEventError } from "./event-bus.ts";

/** Applies one event inside the consumer's transaction. */
export type EventEffect = (em: EntityManager, message: EventMessage) => Promise<void>;

export interface EventConsumerOptions {
  orm: MikroORM;
  subscriber: EventSubscriber;
  logger: Logger;
  /** Consumer group and the inbox's consumer name, e.g. `profile.users`. */
  group: string;
  topics: readonly string[];
  /** Effects by CloudEvents type; other types are recorded as processed and ignored. */
  effects: Record<string, EventEffect>;
  /** Attempts before a failing event goes to the dead-letter topic (default 5). */
  maxAttempts?: number;
  /** Most events applied in one transaction (default: the bus's, 500). */
  maxBatchSize?: number;
  /** The service's Prometheus registry: consumer lag, commit-to-consume lag, outcomes. */
  metrics?: Registry;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event's id and type; a message without them can never be processed. */
function identify(message: EventMessage): { eventId: string; type: string } {
  const eventId = message.headers.ce_id;
  const type = message.headers.ce_type;
  if (!eventId || !type) throw new PoisonMessageError("event without ce_id or ce_type");
  if (!UUID.test(eventId)) throw new PoisonMessageError("ce_id is not a UUID");
  return { eventId: eventId.toLowerCase(), type };
}

/**
 * Records these event ids as processed by the group, in the caller's transaction; returns the ids that were
 * not recorded before (`insert ... on conflict do nothing returning`: a redelivered id comes back empty).
 */
async function recordProcessed(em: SqlEntityManager, consumer: string, eventIds: readonly string[]): Promise<string[]> {
  const processedAt = new Date();
  const rows = await em
    .createQueryBuilder(InboxEntity)
    .insert(eventIds.map((eventId) => ({ consumer, eventId, processedAt })))
    .onConflict()
    .ignore()
    .returning(["eventId"])
    .execute<Array<{ eventId: string }>>("all");
  return rows.map((r) => String(r.eventId));
}

/** Applies a message exactly once; returns false when it had already been processed. */
export async function applyOnce(
  orm: MikroORM,
  group: string,
  effects: Record<string, EventEffect>,
  message: EventMessage,
): Promise<boolean> {
  const { eventId, type } = identify(message);
  return orm.em.fork().transactional(async (em) => {
    const inserted = await recordProcessed(em, group, [eventId]);
    if (inserted.length === 0) return false;
    const effect = effects[type];
    if (effect) await effect(em, message);
    return true;
  });
}

/**
 * Applies messages exactly once, in order, in one transaction: all or nothing. Returns, per message, whether
 * it was applied (false: processed before, or an earlier message of the run had the same id). Throws
 * PoisonMessageError, before touching the database, when any message has no usable ce_id or ce_type.
 */
export async function applyBatchOnce(
  orm: MikroORM,
  group: string,
  effects: Record<string, EventEffect>,
  messages: readonly EventMessage[],
): Promise<boolean[]> {
  if (messages.length === 0) return [];
  const identified = messages.map(identify);
  const ids = [...new Set(identified.map((m) => m.eventId))];
  return orm.em.fork().transactional(async (em) => {
    const inserted = await recordProcessed(em, group, ids);
    const fresh = new Set(inserted.map((id) => id.toLowerCase()));
    const applied: boolean[] = [];
    for (const [i, message] of messages.entries()) {
      const { eventId, type } = identified[i] as { eventId: string; type: string };
      const isNew = fresh.delete(eventId); // a second copy in the same run is a duplicate
      applied.push(isNew);
      const effect = effects[type];
      if (isNew && effect) await effect(em, message);
    }
    return applied;
  });
}

export interface EventConsumer {
  start(): Promise<void>;
}

export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const { orm, group, logger } = options;
  const metrics = createConsumerMetrics(options.metrics, group);
  const handle = async (message: EventMessage) => {
    let applied: boolean;
    try {
      applied = await applyOnce(orm, group, options.effects, message);
    } catch (err) {
      if (err instanceof PoisonMessageError) throw err;
      // The database being down says nothing about the message: do not let it reach the dead-letter topic.
      const databaseUp = await checkDatabase(orm).then(
        () => true,
        () => false,
      );
      if (!databaseUp) throw new TransientEventError("consumer database unreachable", { cause: err });
      throw err;
    }
    metrics.consumed(applied ? "applied" : "duplicate", message.headers.ce_time);
    if (!applied) logger.debug({ group, ceId: message.headers.ce_id }, "duplicate event ignored");
  };
  // A failure here is not classified: the bus then delivers the same messages one at a time through
  // `handle`, which dead-letters a poison message and treats a database outage as transient.
  const handleBatch = async (messages: readonly EventMessage[]) => {
    const applied = await applyBatchOnce(orm, group, options.effects, messages);
    for (const [i, message] of messages.entries()) metrics.consumed(applied[i] ? "applied" : "duplicate", message.headers.ce_time);
  };
  return {
    async start() {
      await options.subscriber.subscribe(group, options.topics, handle, {
        batchHandler: handleBatch,
        maxBatchSize: options.maxBatchSize,
        maxAttempts: options.maxAttempts,
        onLag: metrics.lag,
        onDeadLetter: () => metrics.consumed("dead_lettered", undefined),
      });
    },
  };
}

export { InboxEntity };
