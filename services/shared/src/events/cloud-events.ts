// CloudEvents 1.0 binary-mode headers for an outbox row (Kafka protocol binding: `ce_` headers, the
// payload's media type in `content-type`).
import type { OutboxEvent } from "../outbox/outbox.entity.ts";
import type { EventMessage } from "./event-bus.ts";

export type OutboxRow = Pick<OutboxEvent, "id" | "topic" | "key" | "type" | "payload" | "occurredAt">;

export const PROTOBUF_CONTENT_TYPE = "application/protobuf";

export function toEventMessage(row: OutboxRow, source: string): EventMessage {
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
      "content-type": PROTOBUF_CONTENT_TYPE,
    },
  };
}
