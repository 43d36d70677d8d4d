// The outbox relay: claims unpublished rows with FOR UPDATE SKIP LOCKED (so several replicas share the
// work and a row whose transaction commits late is never skipped, unlike a "last id" high-water mark),
// publishes them, and marks them published in the same transaction. A crash between publish and mark
// publishes the row again: delivery is at least once, consumers are idempotent.
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "../logger.ts";
import type { OutboxEvent } from "../outbox/outbox.entity.ts";
import { toEventMessage } from "./cloud-events.ts";
import type { EventPublisher } from "./event-bus.ts";

export interface OutboxRelayOptions {
  orm: MikroORM;
  publisher: EventPublisher;
  logger: Logger;
  /** CloudEvents `ce_source`, e.g. `identity/auth`. */
  source: string;
  batchSize?: number;
  idleDelayMs?: number;
  maxBackoffMs?: number;
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /** Publishes one batch; returns how many rows it published. */
  relayOnce(): Promise<number>;
  /** Wakes the relay now (after a commit), instead of at its next poll. */
  nudge(): void;
}

interface Row {
  id: string;
  topic: string;
  key: string;
  type: string;
  payload: Buffer;
  occurred_at: Date;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 200;
  const idleDelayMs = options.idleDelayMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let failing = false;

  const relayOnce = async (): Promise<number> => {
    const em = options.orm.em.fork();
    return em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const rows = (await conn.execute(
        "select id, topic, key, type, payload, occurred_at from outbox_event where published_at is null order by occurred_at, id limit ? for update skip locked",
        [batchSize],
        "all",
        tx.getTransactionContext(),
      )) as Row[];
      if (rows.length === 0) return 0;
      const messages = rows.map((r) =>
        toEventMessage({ id: r.id, topic: r.topic, key: r.key, type: r.type, payload: r.payload, occurredAt: new Date(r.occurred_at) } as OutboxEvent, options.source),
      );
      await options.publisher.publish(messages);
      await conn.execute("update outbox_event set published_at = now(), attempts = attempts + 1 where id in (?)", [rows.map((r) => r.id)], "run", tx.getTransactionContext());
      return rows.length;
    });
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    let backoff = idleDelayMs;
    while (running) {
      try {
        const n = await relayOnce();
        if (failing) options.logger.info("outbox relay: publishing again, catching up");
        failing = false;
        backoff = idleDelayMs;
        if (n < batchSize) await sleep(idleDelayMs);
      } catch (err) {
        if (!failing) options.logger.warn({ err }, "outbox relay: publish failed; backing off, nothing is lost");
        failing = true;
        backoff = Math.min(backoff * 2, maxBackoffMs);
        await sleep(backoff);
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    relayOnce,
    nudge() {
      wake?.();
    },
  };
}
