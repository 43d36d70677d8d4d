// The outbox relay: claims unpublished rows with FOR UPDATE SKIP LOCKED (so several replicas share the
// work and a row whose transaction commits late is never skipped, unlike a "last id" high-water mark),
// publishes them (acks=all), and marks them published in the same transaction. A crash between publish and
// mark publishes the rows again: delivery is at least once, consumers are idempotent.
//
// Per-key order across replicas: a replica holds back a key when an older unpublished row of that key is
// not in its own claim (another replica holds it, or it was skipped), so a key's events are never
// published out of order by two replicas racing.
//
// Wake-ups: after every commit that wrote an outbox row through this ORM (a MikroORM transaction
// subscriber) the relay is woken (the "nudge"); otherwise it polls every idleDelayMs. Once awake it lingers
// lingerMs so that the commits of that moment go in one round. While the broker is down it backs off
// (capped) and, since its place is the table itself, loses nothing.
import type { InferKyselyDB, MikroORM } from "@mikro-orm/postgresql";
import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import { OutboxEntity } from "../outbox/outbox.entity.ts";
import { createWorkerLoop, type WorkerLoop } from "../outbox/worker-loop.ts";
import { toEventMessage } from "./cloud-events.ts";
import type { EventPublisher } from "./event-bus.ts";
import { createRelayMetrics } from "./relay-metrics.ts";

export interface OutboxRelayOptions {
  orm: MikroORM;
  publisher: EventPublisher;
  logger: Logger;
  /** CloudEvents `ce_source`, e.g. `identity/auth`. */
  source: string;
  /** Rows per claim/publish (default 500). */
  batchSize?: number;
  /** Poll interval when idle and not nudged (default 250 ms). */
  idleDelayMs?: number;
  /**
   * After waking up (nudge or poll), wait this long before claiming, so that the commits of that moment go
   * in one round instead of one round each (default 10 ms). Under a steady write rate it trades this much
   * latency for fewer, larger rounds (less CPU per event); a full batch never waits. Default 10 ms: at
   * 500 events/s it cut the relay's CPU by half with no worse p99 lag (docs/benchmarks.md).
   */
  lingerMs?: number;
  /** Cap of the backoff while the broker is down (default 2 s). */
  maxBackoffMs?: number;
  /** The service's Prometheus registry: outbox backlog, published count, publish lag. */
  metrics?: Registry;
  /** Wake up after commits that wrote outbox rows (default true). */
  nudgeOnCommit?: boolean;
  /** Fault injection for tests: called with the claimed ids around the publish. */
  hooks?: {
    beforePublish?(ids: readonly string[]): void | Promise<void>;
    afterPublish?(ids: readonly string[]): void | Promise<void>;
  };
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /** Publishes one batch; returns how many rows it published. */
  relayOnce(): Promise<number>;
  /** Wakes the relay now (after a commit), instead of at its next poll. */
  nudge(): void;
}

/** The outbox table as typed Kysely sees it, inferred from the entity. */
type OutboxDatabase = InferKyselyDB<typeof OutboxEntity>;

interface Position {
  occurred_at: Date;
  id: string;
}

const before = (a: Position, b: Position) => {
  const ta = new Date(a.occurred_at).getTime();
  const tb = new Date(b.occurred_at).getTime();
  return ta < tb || (ta === tb && a.id < b.id);
};

/**
 * Keeps the claimed rows (in claim order) that come before every unpublished row of their key outside the
 * claim: a claimed row behind such a row waits for it. Rows cut off by the batch limit are younger than
 * every claimed row, so they never hold a claimed row back.
 */
export function rowsInKeyOrder<R extends Position & { key: string }>(
  claimed: readonly R[],
  oldestElsewhere: ReadonlyMap<string, Position>,
): R[] {
  return claimed.filter((r) => {
    const elsewhere = oldestElsewhere.get(r.key);
    return elsewhere === undefined || before(r, elsewhere);
  });
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 500;
  const idleDelayMs = options.idleDelayMs ?? 250;
  const lingerMs = options.lingerMs ?? 10;
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  const logger = options.logger;
  const metrics = createRelayMetrics(options.metrics, options.orm);
  const loop = createWorkerLoop({
    orm: options.orm,
    queue: OutboxEntity,
    run: (worker) => run(worker),
    onCommit: () => relay.nudge(),
    wakeOnCommit: options.nudgeOnCommit ?? true,
  });
  const { wakeup } = loop;
  let failingSince: number | undefined;
  let catchingUp = false;
  let publishedWhileCatchingUp = 0;

  const relayOnce = async (): Promise<number> => {
    wakeup.begin();
    const em = options.orm.em.fork();
    return em.transactional(async (tx) => {
      const db = tx.getKysely<OutboxDatabase>();
      // FOR UPDATE SKIP LOCKED: replicas share the work, and a row another replica holds is not waited for.
      const claimed = await db
        .selectFrom("outbox_event")
        .select(["id", "topic", "key", "type", "payload", "occurred_at"])
        .where("published_at", "is", null)
        .orderBy("occurred_at")
        .orderBy("id")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (claimed.length === 0) return 0;
      const keys = [...new Set(claimed.map((r) => r.key))];
      // The oldest unpublished row of each claimed key among the rows this claim does not hold.
      const elsewhere = await db
        .selectFrom("outbox_event")
        .distinctOn("key")
        .select(["key", "occurred_at", "id"])
        .where("published_at", "is", null)
        .where("key", "in", keys)
        .where(
          "id",
          "not in",
          claimed.map((r) => r.id),
        )
        .orderBy("key")
        .orderBy("occurred_at")
        .orderBy("id")
        .execute();
      const rows = rowsInKeyOrder(claimed, new Map(elsewhere.map((o) => [o.key, o])));
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      const messages = rows.map((r) =>
        toEventMessage(
          { id: r.id, topic: r.topic, key: r.key, type: r.type, payload: r.payload, occurredAt: new Date(r.occurred_at) },
          options.source,
        ),
      );
      await options.hooks?.beforePublish?.(ids);
      await options.publisher.publish(messages);
      await options.hooks?.afterPublish?.(ids);
      await db
        .updateTable("outbox_event")
        .set((eb) => ({ published_at: new Date(), attempts: eb("attempts", "+", 1) }))
        .where("id", "in", ids)
        .execute();
      const now = Date.now();
      metrics.published(
        rows.length,
        rows.map((r) => (now - new Date(r.occurred_at).getTime()) / 1000),
      );
      return rows.length;
    });
  };

  const run = async (worker: WorkerLoop) => {
    let backoff = idleDelayMs;
    while (worker.isRunning()) {
      try {
        const n = await relayOnce();
        if (failingSince !== undefined) {
          logger.info({ failingForMs: Date.now() - failingSince }, "outbox relay: publishing again; catching up");
          failingSince = undefined;
          catchingUp = true;
          publishedWhileCatchingUp = 0;
          metrics.failing(false);
          backoff = idleDelayMs;
        }
        publishedWhileCatchingUp += n;
        if (n < batchSize) {
          if (catchingUp) logger.info({ published: publishedWhileCatchingUp }, "outbox relay: caught up");
          catchingUp = false;
          await wakeup.sleep(idleDelayMs);
          if (lingerMs > 0 && worker.isRunning()) await new Promise((r) => setTimeout(r, lingerMs));
        }
      } catch (err) {
        if (failingSince === undefined) {
          logger.warn({ err }, "outbox relay: publish failed; falling back to retries with backoff, nothing is lost");
          failingSince = Date.now();
          metrics.failing(true);
          backoff = idleDelayMs;
        }
        backoff = Math.min(backoff * 2, maxBackoffMs);
        await wakeup.sleep(backoff);
      }
    }
  };

  const relay: OutboxRelay = {
    start: loop.start,
    stop: loop.stop,
    relayOnce,
    nudge() {
      // While the broker is down, commits must not turn the backoff into a busy loop.
      if (failingSince !== undefined) return;
      wakeup.wake();
    },
  };
  return relay;
}
