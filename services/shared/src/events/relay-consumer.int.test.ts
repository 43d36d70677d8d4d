import { create, fromBinary } from "@bufbuild/protobuf";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { silentLogger } from "../logger.ts";
import { createOrm, type MikroORM } from "../orm/create-orm.ts";
import { InboxEntity } from "../outbox/inbox.entity.ts";
import { recordEvent } from "../outbox/record-event.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import type { EventMessage } from "./event-bus.ts";
import { applyOnce } from "./event-consumer.ts";
import { createMemoryBus } from "./memory-bus.ts";
import { createOutboxRelay } from "./outbox-relay.ts";

let db: TestDatabase;
let orm: MikroORM;
beforeAll(async () => {
  db = await createTestDatabase("shared_relay");
  orm = await createOrm({ databaseUrl: db.url, entities: [], migrations: [] });
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

test("the relay publishes committed rows with CloudEvents headers, and a redelivered event has one effect", async () => {
  const bus = createMemoryBus(silentLogger());
  const received: EventMessage[] = [];
  await bus.subscribe("test", ["identity.users.v1"], async (m) => {
    received.push(m);
  });
  await orm.em.fork().transactional(async (tx) => {
    recordEvent(tx, {
      topic: "identity.users.v1",
      key: "u1",
      type: "user.registered",
      schema: UserRegisteredSchema,
      message: create(UserRegisteredSchema, { userId: "u1", username: "bob" }),
    });
  });
  const relay = createOutboxRelay({ orm, publisher: bus, logger: silentLogger(), source: "identity/test" });
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
      orm,
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
  expect(await orm.em.fork().count(InboxEntity, { consumer: "test.users" })).toBe(1);
});
