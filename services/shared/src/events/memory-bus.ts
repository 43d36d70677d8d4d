// The in-process event bus of the embedded mode (`npm start`): the same publish/subscribe contract as
// Kafka, with no broker. Messages are delivered in order per topic to each subscribed group; a handler that
// throws is retried with backoff, so delivery stays at least once.
import type { Logger } from "../logger.ts";
import type { EventBus, EventHandler, EventMessage } from "./event-bus.ts";

interface Subscription {
  group: string;
  topics: ReadonlySet<string>;
  handler: EventHandler;
  queue: EventMessage[];
  draining: boolean;
}

export function createMemoryBus(logger: Logger): EventBus {
  const subscriptions: Subscription[] = [];
  let stopped = false;

  const drain = async (sub: Subscription) => {
    if (sub.draining) return;
    sub.draining = true;
    try {
      let attempt = 0;
      while (!stopped && sub.queue.length > 0) {
        const message = sub.queue[0] as EventMessage;
        try {
          await sub.handler(message);
          sub.queue.shift();
          attempt = 0;
        } catch (err) {
          attempt += 1;
          logger.warn({ err, group: sub.group, topic: message.topic, attempt }, "event handler failed; retrying");
          await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
        }
      }
    } finally {
      sub.draining = false;
    }
  };

  return {
    async publish(messages) {
      for (const message of messages) {
        for (const sub of subscriptions) {
          if (sub.topics.has(message.topic)) sub.queue.push(message);
        }
      }
      for (const sub of subscriptions) void drain(sub);
    },
    async subscribe(group, topics, handler) {
      subscriptions.push({ group, topics: new Set(topics), handler, queue: [], draining: false });
    },
    async start() {
      stopped = false;
    },
    async stop() {
      stopped = true;
    },
    async checkReady() {},
  };
}
