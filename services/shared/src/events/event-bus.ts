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

export interface EventSubscriber {
  /**
   * Delivers every message of the topics to the handler, at least once, in order per key. A handler that
   * throws gets the message again (with backoff); one that keeps failing sends it to the dead-letter topic.
   */
  subscribe(group: string, topics: readonly string[], handler: EventHandler): Promise<void>;
}

export interface EventBus extends EventPublisher, EventSubscriber {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Throws when the broker is unreachable: part of readiness. */
  checkReady(): Promise<void>;
}
