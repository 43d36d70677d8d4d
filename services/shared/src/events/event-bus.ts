// The event transport, chosen by configuration: Kafka in production and the stack, an in-process bus in
// the embedded mode. The outbox relay publishes through it; consumers subscribe through it. Both sides see
// the same message: key = aggregate id, value = the protobuf event, CloudEvents headers.

export interface EventMessage {
  topic: string;
  key: string;
  value: Uint8Array;
  /** CloudEvents binary-mode headers: ce_specversion, ce_id, ce_type, ce_source, ce_time, content-type. */
  headers: Record<string, string>;
}

export interface EventPublisher {
  /** Publishes a batch; resolves once every message is durably accepted (Kafka: acks=all). */
  publish(messages: readonly EventMessage[]): Promise<void>;
}

export type EventHandler = (message: EventMessage) => Promise<void>;

/**
 * Handles a run of consecutive messages of one partition at once, all or nothing (a consumer applies them in
 * one transaction). When it throws, the bus delivers those same messages one at a time to the EventHandler
 * (retries, dead letters), so a poison message is still isolated and per-key order is kept.
 */
export type BatchEventHandler = (messages: readonly EventMessage[]) => Promise<void>;

/** Where a consumed message came from (Kafka partition and offset; the in-process bus counts per topic). */
export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export interface SubscribeOptions {
  /** Attempts before a failing message goes to the dead-letter topic (default 5). */
  maxAttempts?: number;
  /** Optional: handles several messages at once (see BatchEventHandler); the EventHandler stays the fallback. */
  batchHandler?: BatchEventHandler;
  /** Most messages per batchHandler call (default 500). */
  maxBatchSize?: number;
  /** Reports how many messages of a partition are not consumed yet, after each message or batch. */
  onLag?(topic: string, partition: number, lag: number): void;
  /** Reports a message sent to the dead-letter topic. */
  onDeadLetter?(origin: MessageOrigin, error: unknown): void;
}

export interface EventSubscriber {
  /**
   * Delivers every message of the topics to the handler, at least once, in order per key. A handler that
   * throws gets the message again (with backoff); one that keeps failing (or throws PoisonMessageError)
   * sends it to the dead-letter topic `<topic>.dlq` and the partition moves on. A TransientEventError is
   * retried without limit: the consumer, not the message, is broken.
   */
  subscribe(group: string, topics: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<void>;
}

export interface EventBus extends EventPublisher, EventSubscriber {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Throws when the broker is unreachable: part of readiness. */
  checkReady(): Promise<void>;
}

/** The message can never be processed (it cannot be decoded, a header is missing): dead-letter it now. */
export class PoisonMessageError extends Error {
  override name = "PoisonMessageError";
}

/** The consumer cannot work right now (its database is down): retry without counting attempts. */
export class TransientEventError extends Error {
  override name = "TransientEventError";
}
