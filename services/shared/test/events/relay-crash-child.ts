// A "service" process for the crash tests: it commits a registration (and rolls another back), then runs
// the outbox relay against Kafka with a hook that SIGKILLs the process at the chosen moment:
//   CRASH=before-publish  after the database commit, before anything reached Kafka
//   CRASH=after-publish   after Kafka acknowledged, before the rows were marked published
//   CRASH=none            relays normally and exits once the outbox is empty
// Env: DATABASE_URL, KAFKA_BROKERS, TOPIC, REGISTER (a username to register, optional).
// Prints `COMMITTED <event id>` and `ROLLED_BACK <event id>` lines for the parent to check.

import { create } from "@bufbuild/protobuf";
import { events } from "@identity/proto/event-catalogue";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { createKafkaBus } from "../../src/events/kafka-bus.ts";
import { createOutboxRelay } from "../../src/events/outbox-relay.ts";
import { newId } from "../../src/ids.ts";
import { silentLogger } from "../../src/logger.ts";
import { createOrm } from "../../src/orm/create-orm.ts";
import { recordEvent } from "../../src/outbox/record-event.ts";
import { CreateTestAggregate, registerUser } from "./events-test-kit.ts";

const env = (name: string) => process.env[name] ?? "";
const crash = env("CRASH") || "none";
const topic = env("TOPIC");
const orm = await createOrm({
  databaseUrl: env("DATABASE_URL"),
  entities: [],
  migrations: [{ name: "0001_test_aggregate", class: CreateTestAggregate }],
});

if (env("REGISTER")) {
  const { eventId } = await registerUser(orm, topic, env("REGISTER"));
  process.stdout.write(`COMMITTED ${eventId}\n`);
  let rolledBack = "";
  await orm.em
    .fork()
    .transactional(async (tx) => {
      const userId = newId();
      await tx
        .getConnection()
        .execute(
          "insert into test_user (id, username) values (?, ?)",
          [userId, `${env("REGISTER")}-rb`],
          "run",
          tx.getTransactionContext(),
        );
      rolledBack = recordEvent(tx, { ...events.userRegistered, topic }, create(UserRegisteredSchema, { userId }));
      await tx.flush();
      throw new Error("roll back");
    })
    .catch(() => undefined);
  process.stdout.write(`ROLLED_BACK ${rolledBack}\n`);
}

const die = () => {
  process.kill(process.pid, "SIGKILL");
};
const bus = createKafkaBus({ brokers: [env("KAFKA_BROKERS")], clientId: "relay-crash-child", logger: silentLogger() });
await bus.start();
const relay = createOutboxRelay({
  orm,
  publisher: bus,
  logger: silentLogger(),
  source: "identity/events-test",
  hooks: { beforePublish: crash === "before-publish" ? die : undefined, afterPublish: crash === "after-publish" ? die : undefined },
});
if (crash === "none") {
  while ((await relay.relayOnce()) > 0);
  await bus.stop();
  await orm.close();
} else {
  relay.start();
  setTimeout(() => {
    process.stderr.write("the relay never reached the crash point\n");
    process.exit(3);
  }, 20_000).unref();
}
