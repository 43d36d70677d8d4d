// An idempotent consumer: each event's effect and its id (the processed_event row) are written in one
// transaction, so a redelivered event finds its id and has no second effect.
import type { EntityManager } from "@mikro-orm/core";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "../logger.ts";
import { InboxEntity } from "../outbox/inbox.entity.ts";
import type { EventMessage, EventSubscriber } from "./event-bus.ts";

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
}

/** Applies a message exactly once; returns false when it had already been processed. */
export async function applyOnce(orm: MikroORM, group: string, effects: Record<string, EventEffect>, message: EventMessage): Promise<boolean> {
  const eventId = message.headers.ce_id;
  const type = message.headers.ce_type;
  if (!eventId || !type) throw new Error("event without ce_id or ce_type");
  return orm.em.fork().transactional(async (em) => {
    const inserted = (await em
      .getConnection()
      .execute(
        "insert into processed_event (consumer, event_id, processed_at) values (?, ?, now()) on conflict do nothing returning event_id",
        [group, eventId],
        "all",
        em.getTransactionContext(),
      )) as unknown[];
    if (inserted.length === 0) return false;
    const effect = effects[type];
    if (effect) await effect(em, message);
    return true;
  });
}

export function createEventConsumer(options: EventConsumerOptions): { start(): Promise<void> } {
  return {
    async start() {
      await options.subscriber.subscribe(options.group, options.topics, async (message) => {
        const applied = await applyOnce(options.orm, options.group, options.effects, message);
        if (!applied) options.logger.debug({ group: options.group, ceId: message.headers.ce_id }, "duplicate event ignored");
      });
    },
  };
}

export { InboxEntity };
