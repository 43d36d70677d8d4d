// Writes an event of the catalogue to the outbox inside the caller's transaction (the EntityManager of that
// transaction): its topic, type and key come from the contract (@identity/proto/event-catalogue).
import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { EventDefinition } from "@identity/proto/event-catalogue";
import type { EntityManager } from "@mikro-orm/core";
import { newId } from "../ids.ts";
import { OutboxEntity } from "./outbox.entity.ts";

/** Records the message (its fields, or the message itself) as an `event` (tests may pass a catalogue event with a topic of their own). Returns its id. */
export function recordEvent<Desc extends DescMessage>(
  em: EntityManager,
  event: EventDefinition<Desc>,
  init: MessageInitShape<Desc>,
  occurredAt: Date = new Date(),
): string {
  const id = newId();
  const message = create(event.schema, init);
  em.create(OutboxEntity, {
    id,
    topic: event.topic,
    key: event.keyOf(message),
    type: event.type,
    payload: Buffer.from(toBinary(event.schema, message)),
    occurredAt,
    publishedAt: null,
    attempts: 0,
  });
  return id;
}
