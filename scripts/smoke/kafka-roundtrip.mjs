#!/usr/bin/env node
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
// Kafka smoke test with the client the project uses (kafkajs 2.2.4).
//   node scripts/smoke/kafka-roundtrip.mjs [broker]             produce (acks=all, headers) to a fresh
//                                                               topic, consume it back, print PASS
//   node scripts/smoke/kafka-roundtrip.mjs --metadata [broker]  exit 0 once the broker answers metadata
//   node scripts/smoke/kafka-roundtrip.mjs --deps                only install/load kafkajs
// kafkajs is taken from the workspace node_modules when present, else installed once into
// .tools/smoke-deps (under a machine-wide npm lock). Exits non-zero on failure or after 60 s.
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const KAFKAJS_VERSION = "2.2.4";
const TIMEOUT_MS = 60_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function loadKafkajs() {
  const workspace = join(repoRoot, "node_modules", "kafkajs", "package.json");
  if (existsSync(workspace)) {
    return createRequire(join(repoRoot, "package.json"))("kafkajs");
  }
  const prefix = join(repoRoot, ".tools", "smoke-deps");
  const pkg = join(prefix, "node_modules", "kafkajs", "package.json");
  const installed = existsSync(pkg) && createRequire(import.meta.url)(pkg).version === KAFKAJS_VERSION;
  if (!installed) {
    mkdirSync(prefix, { recursive: true });
    process.stderr.write(`installing kafkajs@${KAFKAJS_VERSION} into .tools/smoke-deps\n`);
    execFileSync(
      "flock",
      [
        "-w",
        "900",
        join(process.env.TMPDIR || tmpdir(), "identity-npm.lock"),
        "npm",
        "install",
        "--prefix",
        prefix,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `kafkajs@${KAFKAJS_VERSION}`,
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
  }
  return createRequire(join(prefix, "package.json"))("kafkajs");
}

const args = process.argv.slice(2);
const metadataOnly = args.includes("--metadata");
const broker = args.find((a) => !a.startsWith("--")) || process.env.KAFKA_BROKERS || "localhost:9092";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
// kafkajs 2.2.4 arms a timer with a negative delay on Node >= 23 (harmless; Node clamps it to 1 ms).
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (w.name !== "TimeoutNegativeWarning") console.warn(`${w.name}: ${w.message}`);
});
const { Kafka, logLevel } = loadKafkajs();
if (args.includes("--deps")) process.exit(0); // only make sure kafkajs is installed
const started = Date.now();

const timer = setTimeout(
  () => {
    console.error(`FAIL kafka: no round trip within ${TIMEOUT_MS / 1000}s (broker ${broker})`);
    process.exit(1);
  },
  metadataOnly ? 15_000 : TIMEOUT_MS,
);

const kafka = new Kafka({
  clientId: "identity-smoke",
  brokers: broker.split(","),
  // Retriable errors while a fresh broker creates its internal topics are expected; real failures throw.
  logLevel: process.env.KAFKAJS_LOG_LEVEL ? logLevel[process.env.KAFKAJS_LOG_LEVEL] : logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: metadataOnly ? 0 : 5 },
});

async function metadata() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (!cluster.brokers.length) throw new Error("no brokers in metadata");
    console.log(
      `kafka: cluster ${cluster.clusterId}, controller ${cluster.controller}, brokers ${cluster.brokers.map((b) => `${b.host}:${b.port}`).join(",")}`,
    );
  } finally {
    await admin.disconnect();
  }
}

async function roundTrip() {
  const topic = `smoke-${Date.now()}-${randomUUID().slice(0, 8)}`;
  const key = randomUUID();
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = new Promise((resolvePromise, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.key?.toString() !== key) return;
            const header = message.headers?.["x-smoke-id"]?.toString();
            const value = message.value?.toString();
            if (header !== key || value !== "hello identity") {
              reject(new Error(`unexpected message: header=${header} value=${value}`));
            } else {
              resolvePromise();
            }
          },
        })
        .catch(reject);
    });
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: [{ key, value: "hello identity", headers: { "x-smoke-id": key, "content-type": "text/plain" } }],
    });
    await received;
    const ms = Date.now() - started;
    console.log(
      `PASS kafka: produced (acks=all, headers) and consumed 1 message on ${topic} (partition ${meta.partition}, offset ${meta.baseOffset}) via ${broker} in ${ms} ms`,
    );
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

try {
  await (metadataOnly ? metadata() : roundTrip());
  clearTimeout(timer);
  process.exit(0);
} catch (err) {
  console.error(`FAIL kafka${metadataOnly ? " metadata" : ""}: ${err?.stack || err}`);
  process.exit(1);
}
