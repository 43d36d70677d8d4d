// Kafka stopped for 60 s while 500 users register (the test aggregate of events-test-kit.ts; a broker of
// this suite's own on port 19092, so other suites' broker keeps running): every registration succeeds,
// the relay backs off and says so, and once the broker is back every event is published and every
// consumer effect (a profile) happens exactly once.
import { pino } from "pino";
import { Registry } from "prom-client";
import { createEventConsumer } from "../../src/events/event-consumer.ts";
import { createKafkaBus, type KafkaBus } from "../../src/events/kafka-bus.ts";
import { createOutboxRelay, type OutboxRelay } from "../../src/events/outbox-relay.ts";
import { createEventsTestDb, type EventsTestDb, ownBroker, profileEffects, registerUser, uniqueTopic, waitFor } from "./events-test-kit.ts";

const OUTAGE_MS = 60_000;
const USERS = 500;
const broker = ownBroker(19092);
const logs: string[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line).msg) });

let t: EventsTestDb;
let bus: KafkaBus;
let relay: OutboxRelay;
const registry = new Registry();
beforeAll(async () => {
  await broker.start();
  t = await createEventsTestDb("events_outage");
  bus = createKafkaBus({ brokers: [broker.brokers], clientId: "events-test-outage", logger });
  await bus.start();
}, 240_000);
afterAll(async () => {
  await relay?.stop();
  await bus?.stop();
  await t?.close();
  await broker.stop();
}, 120_000);

const count = async (query: string) => Number((await t.sql<{ n: number }>(query))[0]?.n);
const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

test(`Kafka down for ${OUTAGE_MS / 1000} s while ${USERS} users register: all succeed, then every event is published and applied exactly once`, async () => {
  const topic = uniqueTopic("outage");
  relay = createOutboxRelay({ orm: t.orm, publisher: bus, logger, source: "identity/events-test", metrics: registry });
  relay.start();
  await createEventConsumer({
    orm: t.orm,
    subscriber: bus,
    logger,
    group: `${topic}.profiles`,
    topics: [topic],
    effects: profileEffects,
    metrics: registry,
  }).start();
  await registerUser(t.orm, topic, "before-outage");
  await waitFor("the first profile", async () => (await count("select count(*)::int as n from test_profile")) === 1, 30_000);

  await broker.stop();
  const down = Date.now();
  const failures: unknown[] = [];
  for (let i = 0; i < USERS; i += 10) {
    const wave = Array.from({ length: 10 }, (_, j) => registerUser(t.orm, topic, `user-${i + j}`).catch((err) => void failures.push(err)));
    await Promise.all(wave);
    await new Promise((r) => setTimeout(r, (OUTAGE_MS * 0.8) / (USERS / 10))); // spread over most of the outage
  }
  expect(failures).toEqual([]);
  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
  expect(await count("select count(*)::int as n from outbox_event where published_at is null")).toBe(USERS);
  expect(await metric("outbox_backlog")).toBe(USERS);
  expect(await metric("outbox_relay_failing")).toBe(1);
  expect(logs).toContain("outbox relay: publish failed; falling back to retries with backoff, nothing is lost");

  await broker.start();
  const back = Date.now();
  await waitFor("every profile", async () => (await count("select count(*)::int as n from test_profile")) === USERS + 1, 120_000, 250);
  const catchUpMs = Date.now() - back;
  expect(await count("select count(*)::int as n from outbox_event where published_at is null")).toBe(0);
  await new Promise((r) => setTimeout(r, 2_000)); // room for any duplicate effect to show up
  expect(await count("select count(*)::int as n from test_profile")).toBe(USERS + 1);
  expect(await count("select count(distinct user_id)::int as n from test_profile")).toBe(USERS + 1);
  expect(await count("select count(*)::int as n from processed_event")).toBe(USERS + 1);
  expect(await metric("outbox_relay_failing")).toBe(0);
  expect(logs).toContain("outbox relay: publishing again; catching up");
  expect(logs).toContain("outbox relay: caught up");
  process.stdout.write(`outage test: all ${USERS + 1} profiles ${catchUpMs} ms after the broker was back\n`);
}, 300_000);
