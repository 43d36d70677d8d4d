// Consumers decode an event with its catalogue definition. A value that does not decode as the event's
// message can never be applied, however often it is retried: it is poison, dead-lettered at once.
import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import type { EventDefinition } from "@identity/proto/event-catalogue";
import { type EventMessage, PoisonMessageError } from "./event-bus.ts";

export function decodeEvent<Desc extends DescMessage>(event: EventDefinition<Desc>, message: EventMessage): MessageShape<Desc> {
  try {
    return fromBinary(event.schema, message.value);
  } catch (err) {
    throw new PoisonMessageError(`${event.type} is not a valid ${event.schema.name} message`, { cause: err });
  }
}
