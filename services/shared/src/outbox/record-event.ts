// Writes an event to the outbox inside the caller's transaction (the EntityManager of that transaction).
import { type DescMessage, type MessageShape, toBinary } from "@bufbuild/protobuf";
import type { EntityManager } from "@mikro-orm/core";
import { newId } from "../ids.ts";
import { OutboxEntity } from "./outbox.entity.ts";

export interface EventToRecord<Desc extends DescMessage> {
  topic: string;
  key: string;
  type: string;
  schema: Desc;
  message: MessageShape<Desc>;
  occurredAt?: Date;
}

export function recordEvent<Desc extends DescMessage>(em: EntityManager, event: EventToRecord<Desc>): string {
  const id = newId();
  em.create(OutboxEntity, {
    id,
    topic: event.topic,
    key: event.key,
    type: event.type,
    payload: Buffer.from(toBinary(event.schema, event.message)),
    occurredAt: event.occurredAt ?? new Date(),
    publishedAt: null,
    attempts: 0,
  });
  return id;
}
