// The background side of a service module, the same in every service: what readiness checks, the outbox
// relay and the other background work (event consumer, periodic sweeps) started in order and stopped in
// reverse, and the outbox flush a stopping host asks for. Each definition says only which parts it has.
import { createEventConsumer, type EventConsumer, type EventConsumerOptions } from "../events/event-consumer.ts";
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "../events/outbox-relay.ts";
import type { Logger } from "../logger.ts";
import type { ServiceModule } from "../service-module.ts";
import type { ServiceInfra } from "./service-definition.ts";

export interface BackgroundWork {
  start(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface ModuleLifecycleParts {
  /** What must answer for the service to be ready (its database; the bus where serving needs it). */
  ready: ReadonlyArray<() => Promise<void>>;
  relay: OutboxRelay;
  /** Started after the relay, in this order; stopped before it, in reverse. */
  work?: readonly BackgroundWork[];
}

export function moduleLifecycle(parts: ModuleLifecycleParts): Pick<ServiceModule, "checkReady" | "start" | "stop" | "flushOutbox"> {
  const all: BackgroundWork[] = [parts.relay, ...(parts.work ?? [])];
  return {
    async checkReady() {
      for (const check of parts.ready) await check();
    },
    async start() {
      for (const work of all) await work.start();
    },
    flushOutbox: () => parts.relay.relayOnce(),
    async stop() {
      for (const work of [...all].reverse()) await work.stop?.();
    },
  };
}

/**
 * A job run every `everyMs` in the background (the timer does not keep the process alive). A failed run is
 * logged as `<what> failed` and the next one still comes: every such job is safe to repeat.
 */
export function periodically(what: string, everyMs: number, job: () => Promise<unknown>, logger: Logger): BackgroundWork {
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer = setInterval(() => {
        job().catch((err: unknown) => logger.warn({ err }, `${what} failed`));
      }, everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

type EventInfra = Pick<ServiceInfra<unknown>, "orm" | "bus" | "logger" | "metrics">;

/** The service's outbox relay, publishing on its bus what its transactions recorded. */
export function outboxRelayFor(
  { orm, bus, logger, metrics }: EventInfra,
  options: Omit<OutboxRelayOptions, "orm" | "publisher" | "logger" | "metrics">,
): OutboxRelay {
  return createOutboxRelay({ orm, publisher: bus, logger, metrics, ...options });
}

/** A consumer of other services' events, applying each once in the service's database. */
export function eventConsumerFor(
  { orm, bus, logger, metrics }: EventInfra,
  options: Omit<EventConsumerOptions, "orm" | "subscriber" | "logger" | "metrics">,
): EventConsumer {
  return createEventConsumer({ orm, subscriber: bus, logger, metrics, ...options });
}
