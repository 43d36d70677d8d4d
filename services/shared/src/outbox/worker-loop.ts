// A background loop over a queue table (the event outbox, auth's mail outbox): started and stopped once,
// sleeping between rounds, and woken as soon as a transaction that inserted a row of the queue commits (not
// before: the row would not be visible yet). What a round does, and how long it sleeps, is the caller's.
import type { EntityManager, EntityName, EventSubscriber, MikroORM, TransactionEventArgs } from "@mikro-orm/core";
import { createRelayWakeup, type RelayWakeup } from "./relay-wakeup.ts";

export interface WorkerLoop {
  readonly wakeup: RelayWakeup;
  isRunning(): boolean;
  start(): void;
  /** Ends the current sleep and waits for the round in progress to finish. */
  stop(): Promise<void>;
}

export interface WorkerLoopOptions {
  orm: MikroORM;
  /** The queue's entity: a commit that inserted one of its rows wakes the loop. */
  queue: EntityName;
  /** The loop: runs its rounds while `loop.isRunning()`. */
  run(loop: WorkerLoop): Promise<void>;
  /** What a commit does to the loop (default: wake it). */
  onCommit?(): void;
  /** Woken by commits (default true); otherwise it only polls. */
  wakeOnCommit?: boolean;
}

export function createWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  let running = false;
  let rounds: Promise<void> | undefined;
  const wakeup = createRelayWakeup(() => running);
  const loop: WorkerLoop = {
    wakeup,
    isRunning: () => running,
    start() {
      if (running) return;
      running = true;
      rounds = options.run(loop);
    },
    async stop() {
      running = false;
      wakeup.interrupt();
      await rounds;
    },
  };

  // Remember which transactional entity managers inserted a queue row; wake the loop when one commits.
  const writers = new WeakSet<EntityManager>();
  const subscriber: EventSubscriber = {
    getSubscribedEntities: () => [options.queue],
    afterCreate: (args) => void writers.add(args.em),
    afterTransactionCommit: (args: TransactionEventArgs) => {
      if (running && writers.has(args.em)) (options.onCommit ?? wakeup.wake)();
    },
  };
  if (options.wakeOnCommit ?? true) options.orm.em.getEventManager().registerSubscriber(subscriber);
  return loop;
}
