// CloudEvents 1.0 binary-mode headers for an outbox row.
import type { OutboxEvent } from "../outbox/outbox.entity.ts";
import type { EventMessage } from "./event-bus.ts";

export function toEventMessage(row: OutboxEvent, source: string): EventMessage {
  return {
    topic: row.topic,
    key: row.key,
    value: row.payload,
    headers: {
      ce_specversion: "1.0",
      ce_id: row.id,
      ce_type: row.type,
      ce_source: source,
      ce_time: row.occurredAt.toISOString(),
      "content-type": "application/protobuf",
    },
  };
}
