// Events benchmark: the outbox relay and an idempotent consumer on a real Kafka broker and PostgreSQL.
//   node bench/events/relay-bench.ts throughput [events=20000]   relay drain rate of a pre-filled outbox
//   node bench/events/relay-bench.ts lag [rate=500] [seconds=30]  commit-to-consume lag at a steady rate
//   node bench/events/relay-bench.ts outage [rate=500] [seconds=60] catch-up after the broker was down
// Needs scripts/components/postgres.sh and kafka.sh started; `outage` starts a broker of its own on 19094.
import { performance } from "node:perf_hooks";
import { fromBinary } from "@bufbuild/protobuf";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { createEventConsumer } from "../../services/shared/src/events/event-consumer.ts";
import { createKafkaBus } from "../../services/shared/src/events/kafka-bus.ts";
import { createOutboxRelay } from "../../services/shared/src/events/outbox-relay.ts";
import { silentLogger } from "../../services/shared/src/logger.ts";
import {
  createEventsTestDb,
  KAFKA,
  ownBroker,
  profileEffects,
  registerUser,
  uniqueTopic,
  waitFor,
} from "../../services/shared/test/events/events-test-kit.ts";

const [mode = "lag", a, b] = process.argv.slice(2);
const logger = silentLogger();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function setup(brokers: string) {
  const t = await createEventsTestDb("bench_events");
  const bus = createKafkaBus({ brokers: [brokers], clientId: "bench-events", logger });
  await bus.start();
  const topic = uniqueTopic("bench");
  const committedAt = new Map<string, number>();
  const consumedAt = new Map<string, number>();
  const relay = createOutboxRelay({ orm: t.orm, publisher: bus, logger, source: "identity/bench" });
  const consumer = createEventConsumer({
    orm: t.orm,
    subscriber: bus,
    logger,
    group: `${topic}.bench`,
    topics: [topic],
    effects: {
      "user.registered": async (em, message) => {
        await profileEffects["user.registered"]?.(em, message);
        consumedAt.set(fromBinary(UserRegisteredSchema, message.value).username, performance.now());
      },
    },
  });
  const close = async () => {
    await relay.stop();
    await bus.stop();
    await t.close();
  };
  return { t, bus, topic, relay, consumer, committedAt, consumedAt, close };
}

/** Registers `rate` users per second for `seconds`, each in its own transaction; resolves when all committed. */
async function writeSteadily(s: Awaited<ReturnType<typeof setup>>, rate: number, seconds: number, prefix: string) {
  const total = rate * seconds;
  const start = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const username = `${prefix}-${i}`;
    inFlight.push(registerUser(s.t.orm, s.topic, username).then(() => s.committedAt.set(username, performance.now())));
  }
  await Promise.all(inFlight);
  return { total, tookMs: performance.now() - start };
}

async function throughput(events: number) {
  const s = await setup(KAFKA);
  for (let i = 0; i < events; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, events - i) }, (_, j) => registerUser(s.t.orm, s.topic, `u-${i + j}`)));
  }
  const start = performance.now();
  let published = 0;
  for (let n = await s.relay.relayOnce(); n > 0; n = await s.relay.relayOnce()) published += n;
  const relayMs = performance.now() - start;
  await s.consumer.start();
  await waitFor("all consumed", async () => s.consumedAt.size >= events, 300_000, 50);
  const endToEndMs = performance.now() - start;
  console.log(
    JSON.stringify({
      mode: "throughput",
      events: published,
      relayMs: Math.round(relayMs),
      relayPerSecond: Math.round(published / (relayMs / 1000)),
      consumedPerSecond: Math.round(events / (endToEndMs / 1000)),
    }),
  );
  await s.close();
}

async function lag(rate: number, seconds: number) {
  const s = await setup(KAFKA);
  await s.consumer.start();
  s.relay.start();
  await registerUser(s.t.orm, s.topic, "warm-up");
  await waitFor("warm-up", async () => s.consumedAt.has("warm-up"), 60_000, 20);
  const written = await writeSteadily(s, rate, seconds, "u");
  await waitFor("all consumed", async () => s.consumedAt.size >= written.total + 1, 120_000, 50);
  const lags = [...s.committedAt].filter(([u]) => u !== "warm-up").map(([u, c]) => (s.consumedAt.get(u) as number) - c);
  console.log(
    JSON.stringify({
      mode: "lag",
      rate,
      seconds,
      achievedRate: Math.round(written.total / (written.tookMs / 1000)),
      events: lags.length,
      p50: ms(percentile(lags, 50)),
      p95: ms(percentile(lags, 95)),
      p99: ms(percentile(lags, 99)),
      max: ms(Math.max(...lags)),
    }),
  );
  await s.close();
}

async function outage(rate: number, seconds: number) {
  const broker = ownBroker(19094);
  await broker.start();
  const s = await setup(broker.brokers);
  await s.consumer.start();
  s.relay.start();
  await registerUser(s.t.orm, s.topic, "warm-up");
  await waitFor("warm-up", async () => s.consumedAt.has("warm-up"), 60_000, 20);
  await broker.stop();
  const written = await writeSteadily(s, rate, seconds, "u");
  const startAt = performance.now();
  await broker.start();
  const brokerUpAt = performance.now();
  const unpublished = async () =>
    Number((await s.t.sql<{ n: number }>("select count(*)::int as n from outbox_event where published_at is null"))[0]?.n);
  await waitFor("all published", async () => (await unpublished()) === 0, 300_000, 50);
  const publishedAt = performance.now();
  await waitFor("all consumed", async () => s.consumedAt.size >= written.total + 1, 300_000, 50);
  const doneAt = performance.now();
  console.log(
    JSON.stringify({
      mode: "outage",
      rate,
      outageSeconds: seconds,
      backlog: written.total,
      brokerStartMs: Math.round(brokerUpAt - startAt),
      publishedAfterBrokerUpMs: Math.round(publishedAt - brokerUpAt),
      catchUpAfterBrokerUpMs: Math.round(doneAt - brokerUpAt),
      catchUpIncludingBrokerStartMs: Math.round(doneAt - startAt),
    }),
  );
  await s.close();
  await broker.stop();
}

if (mode === "throughput") await throughput(Number(a ?? 20_000));
else if (mode === "lag") await lag(Number(a ?? 500), Number(b ?? 30));
else if (mode === "outage") await outage(Number(a ?? 500), Number(b ?? 60));
else throw new Error(`unknown mode ${mode}`);
process.exit(0);
