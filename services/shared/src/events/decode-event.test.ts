import { create, toBinary } from "@bufbuild/protobuf";
import { events } from "@identity/proto/event-catalogue";
import { decodeEvent } from "./decode-event.ts";
import { type EventMessage, PoisonMessageError } from "./event-bus.ts";

const message = (value: Uint8Array): EventMessage => ({ topic: "t", key: "k", value, headers: {} });

test("an event decodes with its catalogue schema", () => {
  const value = toBinary(events.userDeleted.schema, create(events.userDeleted.schema, { userId: "u1", reason: "requested" }));
  expect(decodeEvent(events.userDeleted, message(value))).toMatchObject({ userId: "u1", reason: "requested" });
});

test("a value that is not the event's message is poison, naming the event", () => {
  const garbage = new Uint8Array([0xff, 0xff, 0xff]);
  expect(() => decodeEvent(events.userRegistered, message(garbage))).toThrow(PoisonMessageError);
  expect(() => decodeEvent(events.userRegistered, message(garbage))).toThrow("user.registered is not a valid UserRegistered message");
});
