import { create, fromBinary } from "@bufbuild/protobuf";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { OutboxEntity } from "../outbox/outbox.entity.ts";
import { recordEvent } from "../outbox/record-event.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createOrm, type MikroORM } from "./create-orm.ts";

let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase("shared_orm");
  orm = await createOrm({ databaseUrl: db.url, entities: [], migrations: [] });
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

test("migrations are applied once and the outbox records an event inside a transaction", async () => {
  await orm.migrator.up(); // a second run is a no-op
  const em = orm.em.fork();
  await em.transactional(async (tx) => {
    recordEvent(tx, {
      topic: "identity.users.v1",
      key: "u1",
      type: "user.registered",
      schema: UserRegisteredSchema,
      message: create(UserRegisteredSchema, { userId: "u1", username: "alice" }),
    });
  });
  const rows = await orm.em.fork().find(OutboxEntity, {});
  expect(rows).toHaveLength(1);
  expect(fromBinary(UserRegisteredSchema, rows[0]!.payload).username).toBe("alice");
  expect(rows[0]!.publishedAt).toBeNull();
});

test("a rolled-back transaction leaves no event", async () => {
  const em = orm.em.fork();
  await expect(
    em.transactional(async (tx) => {
      recordEvent(tx, { topic: "t", key: "k", type: "x", schema: UserRegisteredSchema, message: create(UserRegisteredSchema, {}) });
      await tx.flush();
      throw new Error("boom");
    }),
  ).rejects.toThrow("boom");
  expect(await orm.em.fork().count(OutboxEntity, { topic: "t" })).toBe(0);
});

test("replicas starting together migrate one after the other", async () => {
  const fresh = await createTestDatabase("shared_orm_race");
  try {
    const orms = await Promise.all([1, 2, 3].map(() => createOrm({ databaseUrl: fresh.url, entities: [], migrations: [] })));
    const applied = await orms[0]!.em
      .getConnection()
      .execute("select count(*)::int as n, count(distinct name)::int as names from mikro_orm_migrations");
    // The shared migrations (outbox/inbox, Idempotency-Key), each applied once.
    expect(applied[0]).toEqual({ n: 2, names: 2 });
    await Promise.all(orms.map((o) => o.close()));
  } finally {
    await fresh.drop();
  }
});
