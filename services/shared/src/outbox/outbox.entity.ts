// The transactional outbox: an event row is written in the same transaction as the state change it
// describes; the relay publishes it later (at least once) and marks it published.
import { defineEntity, p } from "@mikro-orm/core";

export const OutboxEntity = defineEntity({
  name: "OutboxEvent",
  tableName: "outbox_event",
  // The relay scans only unpublished rows, oldest first.
  indexes: [{ name: "outbox_event_unpublished_idx", properties: ["occurredAt", "id"], where: "published_at is null" }],
  properties: {
    /** UUID v7; the CloudEvents `ce_id`. */
    id: p.uuid().primary(),
    /** Kafka topic, e.g. `identity.users.v1`. */
    topic: p.string().columnType("text"),
    /** Message key: the aggregate id, so that one aggregate's events keep their order. */
    key: p.string().columnType("text"),
    /** CloudEvents `ce_type`, e.g. `user.registered`. */
    type: p.string().columnType("text"),
    /** The protobuf event, binary. */
    payload: p.blob(),
    occurredAt: p.datetime().fieldName("occurred_at"),
    publishedAt: p.datetime().nullable().fieldName("published_at"),
    attempts: p.integer().default(0),
  },
});

export type OutboxEvent = InstanceType<typeof OutboxEntity.class>;
