// The consumer side of exactly-once effects: a consumed event's id is recorded in the same transaction as
// its effect, so a redelivered event finds its id and does nothing.
import { defineEntity, p } from "@mikro-orm/core";

export const InboxEntity = defineEntity({
  name: "ProcessedEvent",
  tableName: "processed_event",
  properties: {
    consumer: p.string().columnType("text").primary(),
    eventId: p.uuid().primary().fieldName("event_id"),
    processedAt: p.datetime().fieldName("processed_at"),
  },
});
