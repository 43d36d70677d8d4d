// The in-process event bus of the embedded mode (`npm start`): the same publish/subscribe contract as
// Kafka, with no broker. Each topic keeps a log (the last `retain` messages) so that a group subscribing
// after a publish still gets it, as with Kafka's `fromBeginning`; each group reads it in order (so per-key
// order holds; a subscriber with a batch handler gets the waiting messages in runs, one at a time after a
// failed run), retries a failing handler with backoff, and moves a message that keeps failing to
// `<topic>.dlq` with the same headers Kafka's dead letters carry.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "../logger.ts";
import { toDeadLetter } from "./dead-letter.ts";
import { DeliveryAborted, defaultRetryPolicy, deliverWithRetries } from "./deliver-with-retries.ts";
import type { EventBus, EventHandler, EventMessage, SubscribeOptions } from "./event-bus.ts";

/** Messages per batchHandler call unless the subscriber says otherwise (as on Kafka). */
const DEFAULT_MAX_BATCH_SIZE = 500;

interface LoggedMessage {
  message: EventMessage;
  offset: number;
}

interface Subscription {
  group: string;
  topics: ReadonlySet<string>;
  handler: EventHandler;
  options: SubscribeOptions;
  queue: LoggedMessage[];
  draining: boolean;
}

export interface MemoryBus extends EventBus {
  /** Every message sent to a dead-letter topic so far (for tests and the embedded dev tools). */
  deadLetters(): readonly EventMessage[];
  /** Resolves true once every subscription has handled everything published so far (false after `timeoutMs`). */
  idle(timeoutMs: number): Promise<boolean>;
}

export interface MemoryBusOptions {
  /** Messages kept per topic for groups that subscribe later (default 10 000). */
  retain?: number;
  retry?: Partial<typeof defaultRetryPolicy>;
}

export function createMemoryBus(logger: Logger, options: MemoryBusOptions = {}): MemoryBus {
  const retain = options.retain ?? 10_000;
  const retry = { ...defaultRetryPolicy, ...options.retry };
  const subscriptions: Subscription[] = [];
  const logs = new Map<string, LoggedMessage[]>();
  const nextOffset = new Map<string, number>();
  const deadLetters: EventMessage[] = [];
  let running = true;
  // Handlers run in the bus's own async context, never in the publisher's: a publisher inside a database
  // transaction must not lend that transaction (MikroORM keeps it in async-local storage) to a consumer of
  // another service, which would then write to the wrong database.
  const detached = AsyncLocalStorage.snapshot();

  const append = (message: EventMessage): LoggedMessage => {
    const offset = nextOffset.get(message.topic) ?? 0;
    nextOffset.set(message.topic, offset + 1);
    const entry = { message, offset };
    const log = logs.get(message.topic) ?? [];
    log.push(entry);
    if (log.length > retain) log.splice(0, log.length - retain);
    logs.set(message.topic, log);
    return entry;
  };

  const route = (entries: readonly LoggedMessage[]) => {
    for (const entry of entries) {
      for (const sub of subscriptions) if (sub.topics.has(entry.message.topic)) sub.queue.push(entry);
    }
    for (const sub of subscriptions) detached(() => void drain(sub));
  };

  /** Delivers the queue's head run in one batchHandler call; false when that failed (or there is none). */
  const deliverRun = async (sub: Subscription): Promise<boolean> => {
    const run = sub.queue.slice(0, Math.max(1, sub.options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE));
    if (!sub.options.batchHandler || run.length < 2) return false;
    try {
      await sub.options.batchHandler(run.map((e) => e.message));
    } catch (err) {
      logger.warn({ err, group: sub.group, size: run.length }, "event batch failed; applying its events one at a time");
      return false;
    }
    sub.queue.splice(0, run.length);
    for (const topic of new Set(run.map((e) => e.message.topic))) reportLag(sub, topic);
    return true;
  };

  const reportLag = (sub: Subscription, topic: string) =>
    sub.options.onLag?.(topic, 0, sub.queue.filter((e) => e.message.topic === topic).length);

  const drain = async (sub: Subscription) => {
    if (sub.draining) return;
    sub.draining = true;
    try {
      // After a failed run, its messages go one at a time (retries, dead letters) before batching again.
      let oneAtATime = 0;
      while (running && sub.queue.length > 0) {
        if (oneAtATime === 0) {
          if (await deliverRun(sub)) continue;
          oneAtATime = Math.min(sub.queue.length, sub.options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
        }
        oneAtATime -= 1;
        const { message, offset } = sub.queue[0] as LoggedMessage;
        const origin = { topic: message.topic, partition: 0, offset: String(offset) };
        const delivery = await deliverWithRetries(
          sub.handler,
          message,
          { ...retry, maxAttempts: sub.options.maxAttempts ?? retry.maxAttempts },
          {
            isRunning: () => running,
            onRetry: (err, attempt) =>
              logger.warn({ err, group: sub.group, topic: message.topic, attempt }, "event handler failed; retrying"),
          },
        );
        if (!delivery.ok) {
          logger.error({ err: delivery.error, group: sub.group, ...origin }, "event sent to the dead-letter topic");
          const dead = toDeadLetter(message, origin, sub.group, delivery.error);
          deadLetters.push(dead);
          sub.options.onDeadLetter?.(origin, delivery.error);
          route([append(dead)]);
        }
        sub.queue.shift();
        reportLag(sub, message.topic);
      }
    } catch (err) {
      if (!(err instanceof DeliveryAborted)) throw err;
    } finally {
      sub.draining = false;
    }
  };

  return {
    async publish(messages) {
      route(messages.map(append));
    },
    async subscribe(group, topics, handler, subscribeOptions = {}) {
      const sub: Subscription = { group, topics: new Set(topics), handler, options: subscribeOptions, queue: [], draining: false };
      for (const topic of topics) sub.queue.push(...(logs.get(topic) ?? []));
      subscriptions.push(sub);
      void drain(sub);
    },
    async start() {
      running = true;
      for (const sub of subscriptions) void drain(sub);
    },
    async stop() {
      running = false;
    },
    async checkReady() {},
    async idle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (subscriptions.some((sub) => sub.draining || sub.queue.length > 0)) {
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 10));
      }
      return true;
    },
    deadLetters: () => deadLetters,
  };
}
