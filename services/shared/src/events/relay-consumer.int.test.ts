import { create, fromBinary } from "@bufbuild/protobuf";
import { events } from "@identity/proto/event-catalogue";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { silentLogger } from "../logger.ts";
import { InboxEntity } from "../outbox/inbox.entity.ts";
import { recordEvent } from "../outbox/record-event.ts";
import { useTestOrm } from "../testing/test-orm.ts";
import type { EventMessage } from "./event-bus.ts";
import { applyOnce } from "./event-consumer.ts";
import { createMemoryBus } from "./memory-bus.ts";
import { createOutboxRelay } from "./outbox-relay.ts";

const suite = useTestOrm("shared_relay");

test("the relay publishes committed rows with CloudEvents headers, and a redelivered event has one effect", async () => {
  const bus = createMemoryBus(silentLogger());
  const received: EventMessage[] = [];
  await bus.subscribe("test", ["identity.users.v1"], async (m) => {
    received.push(m);
  });
  await suite.orm.em.fork().transactional(async (tx) => {
    recordEvent(tx, events.userRegistered, create(UserRegisteredSchema, { userId: "u1", username: "bob" }));
  });
  const relay = createOutboxRelay({ orm: suite.orm, publisher: bus, logger: silentLogger(), source: "identity/test" });
  expect(await relay.relayOnce()).toBe(1);
  expect(await relay.relayOnce()).toBe(0);
  await new Promise((r) => setTimeout(r, 20));
  expect(received).toHaveLength(1);
  const message = received[0]!;
  expect(message.headers).toMatchObject({
    ce_specversion: "1.0",
    ce_type: "user.registered",
    ce_source: "identity/test",
    "content-type": "application/protobuf",
  });
  expect(fromBinary(UserRegisteredSchema, message.value).username).toBe("bob");

  let effects = 0;
  const apply = () =>
    applyOnce(
      suite.orm,
      "test.users",
      {
        "user.registered": async () => {
          effects += 1;
        },
      },
      message,
    );
  expect(await apply()).toBe(true);
  expect(await apply()).toBe(false);
  expect(effects).toBe(1);
  expect(await suite.orm.em.fork().count(InboxEntity, { consumer: "test.users" })).toBe(1);
});
