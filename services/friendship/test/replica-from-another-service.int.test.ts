import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { events } from "@identity/proto/event-catalogue";
import { createOutboxRelay } from "@identity/shared/events/outbox-relay.ts";
import { newId } from "@identity/shared/ids.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { createOrm, type MikroORM } from "@identity/shared/orm/create-orm.ts";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import { createTestDatabase, type TestDatabase } from "@identity/shared/testing/test-database.ts";
import { type FriendshipFixture, startFriendshipFixture } from "./friendship-fixture.ts";

let f: FriendshipFixture;
let otherDb: TestDatabase;
let otherOrm: MikroORM;
beforeAll(async () => {
  f = await startFriendshipFixture();
  otherDb = await createTestDatabase("other_service");
  otherOrm = await createOrm({ databaseUrl: otherDb.url, entities: [], migrations: [] });
});
afterAll(async () => {
  await otherOrm?.close();
  await otherDb?.drop();
  await f?.close();
});

test("an event relayed by another service's outbox reaches the replica", async () => {
  const id = newId();
  await otherOrm.em.fork().transactional(async (em) => {
    recordEvent(em, events.userRegistered, {
      userId: id,
      username: "ivy",
      email: "ivy@example.com",
      dateJoined: timestampFromDate(new Date()),
    });
  });
  const relay = createOutboxRelay({ orm: otherOrm, publisher: f.harness.bus, logger: silentLogger(), source: "identity/auth" });
  expect(await relay.relayOnce()).toBe(1);
  const known = async () =>
    (
      (await f.harness.orm.em.fork().getConnection().execute("select username from known_user where id = ?", [id])) as {
        username: string;
      }[]
    )[0]?.username;
  for (let i = 0; i < 100 && !(await known()); i++) await new Promise((r) => setTimeout(r, 20));
  expect(await known()).toBe("ivy");
});
