// The Kafka event bus (kafkajs 2.2.4). Publishing: an idempotent producer, acks=all, the Java client's
// partitioner (murmur2 of the key, so other clients agree on the partition of an aggregate). Topics are
// created by the project with explicit partitions and replication (never left to broker auto-creation),
// each with its `<topic>.dlq`. Consuming: one consumer per group, each partition processed in order
// (per-key order): a fetched run of messages goes to the subscriber's batch handler in one call when it has
// one (falling back to one message at a time when the run fails), otherwise one message at a time; an
// offset is committed only after its handler succeeded or the message was dead-lettered (at-least-once).
import { type Admin, type Consumer, Kafka, type KafkaMessage, logLevel, Partitioners, type Producer } from "kafkajs";
import type { Logger } from "../logger.ts";
import { deadLetterTopic, isDeadLetterTopic, toDeadLetter } from "./dead-letter.ts";
import { DeliveryAborted, defaultRetryPolicy, deliverWithRetries, type RetryPolicy } from "./deliver-with-retries.ts";
import type { EventBus, EventHandler, EventMessage, SubscribeOptions } from "./event-bus.ts";
import type { KafkaSecurity } from "./kafka-security.ts";
import { stopKafkajsIdleLoop } from "./kafkajs-idle-loop.ts";

/** Messages per batchHandler call unless the subscriber says otherwise: one consumer transaction. */
const DEFAULT_MAX_BATCH_SIZE = 500;

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
}

export interface KafkaBusOptions extends KafkaSecurity {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Settings of the topics this bus creates (default: 3 partitions, replication 1). */
  topicSettings?: TopicSettings;
  /** Topics created at start (with their dead-letter topics); others are created when first used. */
  topics?: readonly string[];
  /** Partitions of one consumer processed concurrently (each still in order; default 3). */
  partitionsConsumedConcurrently?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Consumer session timeout (default 10 s). After a broker restart the group waits this long for the
   * member it remembers before rebalancing, so it bounds the consumers' catch-up; handlers heartbeat
   * between messages and between retries, so it does not bound a handler's run time.
   */
  sessionTimeoutMs?: number;
}

export interface KafkaBus extends EventBus {
  /** Creates the topics and their `.dlq` topics when missing, with the configured settings. */
  ensureTopics(topics: readonly string[]): Promise<void>;
}

const headersOf = (message: KafkaMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : v.toString();
  }
  return headers;
};

export function createKafkaBus(options: KafkaBusOptions): KafkaBus {
  stopKafkajsIdleLoop();
  const logger = options.logger;
  const settings = options.topicSettings ?? { partitions: 3, replicationFactor: 1 };
  const retry = { ...defaultRetryPolicy, ...options.retry };
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.ssl ? { ssl: options.ssl } : {}),
    ...(options.sasl ? { sasl: options.sasl } : {}),
    // kafkajs' own logs go to ours at debug level: the relay and consumers log what matters.
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => logger.debug({ kafkajs: entry.namespace, ...entry.log }, "kafkajs"),
    connectionTimeout: 1_000,
    // Few client-side retries: while the broker is down the relay's own backoff decides when to try again.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumers: Consumer[] = [];
  const ensured = new Set<string>();
  let producerConnected: Promise<void> | undefined;
  let running = false;

  const connectedAdmin = async (): Promise<Admin> => {
    const admin = kafka.admin();
    await admin.connect();
    return admin;
  };
  const withAdmin = async <T>(fn: (admin: Admin) => Promise<T>): Promise<T> => {
    const admin = await connectedAdmin();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  };

  // Readiness asks the broker once a second (the gateway's health checks) for each replica: over one admin
  // connection kept open, not a new one each time (a TLS handshake and a SCRAM exchange per check cost each
  // idle service 1-2 % of a core, and the broker half of its idle CPU). A failed check drops the connection,
  // so the next one connects afresh.
  let readinessAdmin: Promise<Admin> | undefined;
  const dropReadinessAdmin = async () => {
    const admin = readinessAdmin;
    readinessAdmin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  };
  const checkReady = async () => {
    readinessAdmin ??= connectedAdmin();
    try {
      await (await readinessAdmin).describeCluster();
    } catch (err) {
      await dropReadinessAdmin();
      throw err;
    }
  };

  const ensureTopics = async (topics: readonly string[]) => {
    const wanted = [...new Set(topics.flatMap((t) => (isDeadLetterTopic(t) ? [t] : [t, deadLetterTopic(t)])))].filter(
      (t) => !ensured.has(t),
    );
    if (wanted.length === 0) return;
    await withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: settings.partitions, replicationFactor: settings.replicationFactor })),
        });
        logger.info({ topics: missing, ...settings }, "kafka topics created");
      }
    });
    for (const t of wanted) ensured.add(t);
  };

  const connectProducer = () => {
    producerConnected ??= producer.connect().catch((err) => {
      producerConnected = undefined;
      throw err;
    });
    return producerConnected;
  };

  // kafkajs's idempotent producer numbers each partition's batches when it sends them; two sendBatch calls
  // in flight at once (a relay and a consumer's dead letters, or two relays on one bus) can reach the broker
  // out of that order, which it refuses ("out of order sequence number"; relay-ordering.int.test.ts, three
  // relays on one bus, failed two runs in three without this). One send at a time.
  let sending: Promise<unknown> = Promise.resolve();
  const publish = async (messages: readonly EventMessage[]) => {
    if (messages.length === 0) return;
    await ensureTopics(messages.map((m) => m.topic));
    await connectProducer();
    const byTopic = new Map<string, EventMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    const send = () =>
      producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic,
          messages: ms.map((m) => ({ key: m.key, value: Buffer.from(m.value), headers: m.headers })),
        })),
      });
    const sent = sending.then(send, send);
    sending = sent.catch(() => undefined);
    await sent;
  };

  const runConsumer = async (group: string, topics: readonly string[], handler: EventHandler, subscribeOptions: SubscribeOptions) => {
    await ensureTopics(topics);
    const consumer = kafka.consumer({
      groupId: group,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
      // The broker answers a fetch as soon as one byte is there (minBytes 1: no waiting to fill a batch, low
      // latency); an idle fetch returns after 1 s, which bounds how long a stop waits.
      minBytes: 1,
      maxWaitTimeInMs: 1_000,
    });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const policy = { ...retry, maxAttempts: subscribeOptions.maxAttempts ?? retry.maxAttempts };
    const { batchHandler, onLag } = subscribeOptions;
    const maxBatchSize = Math.max(1, subscribeOptions.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
    await consumer.run({
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
      eachBatchAutoResolve: false,
      // Resolved offsets are committed after every fetched batch (kafkajs does it when eachBatch returns) and,
      // within a long catch-up batch, at least every second.
      autoCommitInterval: 1_000,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
        const active = () => running && isRunning() && !isStale();
        const reportLag = (offset: string) =>
          onLag?.(batch.topic, batch.partition, Math.max(0, Number(batch.highWatermark) - Number(offset) - 1));
        const toMessage = (m: KafkaMessage): EventMessage => ({
          topic: batch.topic,
          key: m.key?.toString() ?? "",
          value: m.value ?? Buffer.alloc(0),
          headers: headersOf(m),
        });

        /** One message with retries, dead-lettered when they run out; false when the consumer is stopping. */
        const deliverOne = async (m: KafkaMessage): Promise<boolean> => {
          const message = toMessage(m);
          const origin = { topic: batch.topic, partition: batch.partition, offset: m.offset };
          let delivery: Awaited<ReturnType<typeof deliverWithRetries>>;
          try {
            delivery = await deliverWithRetries(handler, message, policy, {
              isRunning: active,
              heartbeat,
              onRetry: (err, attempt) => logger.warn({ err, group, ...origin, attempt }, "event handler failed; retrying"),
            });
          } catch (err) {
            if (err instanceof DeliveryAborted) return false; // not resolved: the next owner of the partition gets it
            throw err;
          }
          if (!delivery.ok) {
            logger.error({ err: delivery.error, group, ...origin }, "event sent to the dead-letter topic");
            await publish([toDeadLetter(message, origin, group, delivery.error)]);
            subscribeOptions.onDeadLetter?.(origin, delivery.error);
          }
          resolveOffset(m.offset);
          reportLag(m.offset);
          await heartbeat();
          return true;
        };

        /** A run of messages in one batchHandler call; false when it failed (nothing of it was applied). */
        const deliverRun = async (run: readonly KafkaMessage[]): Promise<boolean> => {
          try {
            await (batchHandler as NonNullable<typeof batchHandler>)(run.map(toMessage));
          } catch (err) {
            if (!active()) return false; // stopping: the fallback below stops at once too, nothing resolved
            const first = run[0]?.offset;
            logger.warn(
              { err, group, topic: batch.topic, partition: batch.partition, offset: first, size: run.length },
              "event batch failed; applying its events one at a time",
            );
            return false;
          }
          const last = (run[run.length - 1] as KafkaMessage).offset;
          resolveOffset(last);
          reportLag(last);
          await heartbeat();
          await commitOffsetsIfNecessary();
          return true;
        };

        for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
          if (!active()) break;
          const run = batch.messages.slice(start, start + maxBatchSize);
          if (batchHandler && run.length > 1 && (await deliverRun(run))) continue;
          let stopped = false;
          for (const m of run) {
            if (!active() || !(await deliverOne(m))) {
              stopped = true;
              break;
            }
          }
          if (stopped) break;
          await commitOffsetsIfNecessary();
        }
      },
    });
  };

  return {
    ensureTopics,
    async start() {
      running = true;
      try {
        await ensureTopics(options.topics ?? []);
        await connectProducer();
      } catch (err) {
        // Not fatal: requests keep working (the outbox holds the events); the relay retries and readiness
        // reports the broker.
        logger.warn({ err }, "kafka unreachable at start; publishing will be retried");
      }
    },
    async stop() {
      running = false;
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      consumers.length = 0;
      await dropReadinessAdmin();
      if (producerConnected) await producer.disconnect().catch(() => undefined);
      producerConnected = undefined;
    },
    checkReady,
    publish,
    async subscribe(group, topics, handler, subscribeOptions = {}) {
      running = true;
      // A broker that is down at start must not stop the service: keep trying in the background.
      let delay = 500;
      const attempt = async (): Promise<void> => {
        try {
          await runConsumer(group, topics, handler, subscribeOptions);
        } catch (err) {
          if (!running) return;
          logger.warn({ err, group }, "kafka consumer could not start; retrying");
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 10_000);
          return attempt();
        }
      };
      try {
        await runConsumer(group, topics, handler, subscribeOptions);
      } catch (err) {
        logger.warn({ err, group }, "kafka consumer could not start; retrying in the background");
        void attempt();
      }
    },
  };
}
