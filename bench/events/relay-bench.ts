// Events benchmark: the outbox relay and an idempotent consumer on a real Kafka broker and PostgreSQL.
//   node bench/events/relay-bench.ts throughput [events=20000]   relay drain rate of a pre-filled outbox
//   node bench/events/relay-bench.ts lag [rate=500] [seconds=30]  commit-to-consume lag at a steady rate
//   node bench/events/relay-bench.ts outage [rate=500] [seconds=60] catch-up after the broker was down
// Needs scripts/components/postgres.sh and kafka.sh started; `outage` starts a broker of its own on 19094.
// Layout: writer and relay share a database; the consumer has its own database and event loop (a worker
// thread, consumer-worker.ts); the writer runs in a thread of its own (writer-worker.ts) unless
// BENCH_WRITER=inline puts it on the relay's loop. BENCH_CONSUMER_BATCH (events per consumer transaction),
// BENCH_RELAY_BATCH and BENCH_RELAY_LINGER_MS override the defaults; BENCH_TRACE=1 prints the lag per second.
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { fromBinary } from "@bufbuild/protobuf";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import type { EventMessage } from "../../services/shared/src/events/event-bus.ts";
import { createKafkaBus } from "../../services/shared/src/events/kafka-bus.ts";
import { createOutboxRelay } from "../../services/shared/src/events/outbox-relay.ts";
import { silentLogger } from "../../services/shared/src/logger.ts";
import {
  createEventsTestDb,
  KAFKA,
  ownBroker,
  registerUser,
  uniqueTopic,
  waitFor,
} from "../../services/shared/test/events/events-test-kit.ts";
import type { ConsumerWorkerData, ConsumerWorkerReport } from "./consumer-worker.ts";
import { writeAtRate } from "./steady-writer.ts";
import type { WriterWorkerData, WriterWorkerReport } from "./writer-worker.ts";

const [mode = "lag", a, b] = process.argv.slice(2);
const INLINE_WRITER = process.env.BENCH_WRITER === "inline";
const logger = silentLogger();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Absolute milliseconds, comparable with the consumer worker's. */
const now = () => performance.timeOrigin + performance.now();

/** The consumer in a worker thread (its own event loop, database and Kafka client): see consumer-worker.ts. */
async function startConsumerWorker(brokers: string, topic: string) {
  const consumedAt = new Map<string, number>();
  let consumerCommits = 0;
  const worker = new Worker(new URL("./consumer-worker.ts", import.meta.url), {
    workerData: {
      brokers,
      topic,
      maxBatchSize: process.env.BENCH_CONSUMER_BATCH ? Number(process.env.BENCH_CONSUMER_BATCH) : undefined,
    } satisfies ConsumerWorkerData,
  });
  let closed: (busy: number) => void = () => {};
  const closedReport = new Promise<number>((resolve) => (closed = resolve));
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (r: ConsumerWorkerReport) => {
      if (r.kind === "ready") resolve();
      else if (r.kind === "committed") {
        consumerCommits += 1;
        for (const username of r.usernames) consumedAt.set(username, r.at);
      } else closed(r.eventLoopBusy);
    });
  });
  await ready;
  return {
    consumedAt,
    commits: () => consumerCommits,
    start: () => worker.postMessage("start"),
    async close(): Promise<number> {
      worker.postMessage("close");
      const busy = await closedReport;
      await worker.terminate();
      return busy;
    },
  };
}

async function setup(brokers: string) {
  // As in the platform: the writer and its relay share one process, database and connection pool (the auth
  // service); the consumer has its own (the profile service), here a worker thread.
  const t = await createEventsTestDb("bench_events");
  const bus = createKafkaBus({ brokers: [brokers], clientId: "bench-events", logger });
  await bus.start();
  const topic = uniqueTopic("bench");
  const consumer = await startConsumerWorker(brokers, topic);
  const committedAt = new Map<string, number>();
  const counts = { publishes: 0 };
  // When the broker acknowledged each event: splits the lag into the relay's part and the consumer's.
  const publishedAt = new Map<string, number>();
  const publisher = {
    async publish(messages: readonly EventMessage[]) {
      await bus.publish(messages);
      counts.publishes += 1;
      const at = now();
      for (const m of messages) publishedAt.set(fromBinary(UserRegisteredSchema, m.value).username, at);
    },
  };
  const relay = createOutboxRelay({
    orm: t.orm,
    publisher,
    logger,
    source: "identity/bench",
    // The relay's defaults unless BENCH_RELAY_BATCH / BENCH_RELAY_LINGER_MS say otherwise.
    batchSize: process.env.BENCH_RELAY_BATCH ? Number(process.env.BENCH_RELAY_BATCH) : undefined,
    lingerMs: process.env.BENCH_RELAY_LINGER_MS ? Number(process.env.BENCH_RELAY_LINGER_MS) : undefined,
  });
  const close = async () => {
    await relay.stop();
    const consumerEventLoopBusy = await consumer.close();
    await bus.stop();
    await t.close();
    return consumerEventLoopBusy;
  };
  return { t, bus, topic, relay, consumer, committedAt, publishedAt, consumedAt: consumer.consumedAt, counts, close };
}

/**
 * Registers `rate` users per second for `seconds`; resolves when all committed. From a thread of its own
 * (default), or with BENCH_WRITER=inline on the relay's event loop, as request handling and relay share
 * one service process (the relay is then nudged by the ORM's commit hook itself).
 */
async function writeSteadily(s: Awaited<ReturnType<typeof setup>>, rate: number, seconds: number, prefix: string) {
  const load = { topic: s.topic, rate, seconds, prefix };
  let done: { tookMs: number; failures: number };
  if (INLINE_WRITER) {
    done = await writeAtRate({ orm: s.t.orm, ...load, onCommit: (username, at) => s.committedAt.set(username, at) });
  } else {
    const workerData: WriterWorkerData = { databaseUrl: s.t.db.url, ...load };
    const writer = new Worker(new URL("./writer-worker.ts", import.meta.url), { workerData });
    done = await new Promise((resolve, reject) => {
      writer.once("error", reject);
      writer.on("message", (r: WriterWorkerReport) => {
        if (r.kind === "committed") {
          s.committedAt.set(r.username, r.at);
          s.relay.nudge();
        } else resolve(r);
      });
    });
    await writer.terminate();
  }
  if (done.failures > 0) throw new Error(`${done.failures} registrations failed`);
  return { total: rate * seconds, tookMs: done.tookMs };
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
  const consumed = [...s.consumedAt.values()];
  const consumingMs = Math.max(...consumed) - Math.min(...consumed);
  console.log(
    JSON.stringify({
      mode: "throughput",
      events: published,
      relayMs: Math.round(relayMs),
      relayPerSecond: Math.round(published / (relayMs / 1000)),
      consumedPerSecond: Math.round(events / (endToEndMs / 1000)),
      // From the first consumer commit to the last: the consumer's own rate, without the relay and group join.
      consumerPerSecond: Math.round(events / (consumingMs / 1000)),
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
  const loopBefore = performance.eventLoopUtilization();
  const written = await writeSteadily(s, rate, seconds, "u");
  await waitFor("all consumed", async () => s.consumedAt.size >= written.total + 1, 120_000, 50);
  // Share of the time the relay's event loop was busy; the consumer's is reported by its worker (over its
  // whole run). Near 1 means that thread, not the pipeline's design, was the limit.
  const relayEventLoopBusy = Math.round(performance.eventLoopUtilization(loopBefore).utilization * 100) / 100;
  const measured = [...s.committedAt].filter(([u]) => u !== "warm-up");
  const lags = measured.map(([u, c]) => (s.consumedAt.get(u) as number) - c);
  const publishLags = measured.map(([u, c]) => (s.publishedAt.get(u) as number) - c);
  if (process.env.BENCH_TRACE) {
    // Per second of writing: events, p99 of the whole lag and of its publish part (where a spike comes from).
    const start = Math.min(...measured.map(([, c]) => c));
    const seconds = new Map<number, { lag: number[]; publish: number[] }>();
    for (const [i, [, c]] of measured.entries()) {
      const second = Math.floor((c - start) / 1000);
      const bucket = seconds.get(second) ?? { lag: [], publish: [] };
      bucket.lag.push(lags[i] as number);
      bucket.publish.push(publishLags[i] as number);
      seconds.set(second, bucket);
    }
    for (const [second, b] of [...seconds].sort(([x], [y]) => x - y))
      console.error(`${second}s n=${b.lag.length} p99=${ms(percentile(b.lag, 99))} publishP99=${ms(percentile(b.publish, 99))}`);
  }
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
      publishP50: ms(percentile(publishLags, 50)),
      publishP99: ms(percentile(publishLags, 99)),
      // Average events per relay publish and per consumer transaction.
      perPublish: Math.round((lags.length / s.counts.publishes) * 10) / 10,
      perConsumerCommit: Math.round((lags.length / s.consumer.commits()) * 10) / 10,
      writer: INLINE_WRITER ? "inline" : "thread",
      relayEventLoopBusy,
      consumerEventLoopBusy: await s.close(),
    }),
  );
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
