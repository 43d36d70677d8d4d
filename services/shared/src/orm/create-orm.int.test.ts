import { create, fromBinary } from "@bufbuild/protobuf";
import { events } from "@identity/proto/event-catalogue";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { OutboxEntity } from "../outbox/outbox.entity.ts";
import { recordEvent } from "../outbox/record-event.ts";
import { createTestDatabase } from "../testing/test-database.ts";
import { useTestOrm } from "../testing/test-orm.ts";
import { createOrm } from "./create-orm.ts";

const suite = useTestOrm("shared_orm");

test("migrations are applied once and the outbox records an event inside a transaction", async () => {
  await suite.orm.migrator.up(); // a second run is a no-op
  const em = suite.orm.em.fork();
  await em.transactional(async (tx) => {
    recordEvent(tx, events.userRegistered, create(UserRegisteredSchema, { userId: "u1", username: "alice" }));
  });
  const rows = await suite.orm.em.fork().find(OutboxEntity, {});
  expect(rows).toHaveLength(1);
  expect(fromBinary(UserRegisteredSchema, rows[0]!.payload).username).toBe("alice");
  expect(rows[0]!.publishedAt).toBeNull();
});

test("a rolled-back transaction leaves no event", async () => {
  const em = suite.orm.em.fork();
  await expect(
    em.transactional(async (tx) => {
      recordEvent(tx, { ...events.userRegistered, topic: "t" }, create(UserRegisteredSchema, { userId: "k" }));
      await tx.flush();
      throw new Error("boom");
    }),
  ).rejects.toThrow("boom");
  expect(await suite.orm.em.fork().count(OutboxEntity, { topic: "t" })).toBe(0);
});

test("replicas starting together migrate one after the other", async () => {
  const fresh = await createTestDatabase("shared_orm_race");
  try {
    const orms = await Promise.all([1, 2, 3].map(() => createOrm({ databaseUrl: fresh.url, entities: [], migrations: [] })));
    const applied = (await orms[0]!.migrator.getExecuted()).map((m) => m.name);
    // The shared migrations (outbox/inbox, Idempotency-Key), each applied once.
    expect(applied.sort()).toEqual(["0000_idempotency_key", "0000_outbox_and_inbox"]);
    await Promise.all(orms.map((o) => o.close()));
  } finally {
    await fresh.drop();
  }
});
