// Crashes around the publish, with a real process SIGKILLed (relay-crash-child.ts) and the real broker:
// after the commit and before publishing nothing is lost and nothing rolled back appears; after publishing
// and before marking the event is delivered twice and applied once.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { Registry } from "prom-client";
import { KAFKA, profileEffects, readTopic, registerUser, startConsumer, uniqueTopic, useEventsSuite, waitFor } from "./events-test-kit.ts";

const TIMEOUT = 180_000;
const child = resolve(dirname(fileURLToPath(import.meta.url)), "relay-crash-child.ts");

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolveRun, reject) => {
    const p = spawn(process.execPath, [child], {
      env: { ...process.env, KAFKA_BROKERS: KAFKA, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}

const idsAfter = (out: string, tag: string) => [...out.matchAll(new RegExp(`^${tag} (\\S+)$`, "gm"))].map((m) => m[1] as string);

async function messagesOnTopic(topic: string): Promise<number> {
  const admin = new Kafka({ clientId: "events-test-admin", brokers: [KAFKA], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

const suite = useEventsSuite("events_crash", { clientId: "events-test-consumer" }, TIMEOUT);

test(
  "killed (SIGKILL) after the commit and before publishing, 20 times: every committed event is published after restart, none for a rolled-back change",
  async () => {
    const topic = uniqueTopic("crash_before");
    const committed: string[] = [];
    const rolledBack: string[] = [];
    for (let i = 0; i < 20; i++) {
      const run = await runChild({ DATABASE_URL: suite.t.db.url, TOPIC: topic, REGISTER: `crash-${i}`, CRASH: "before-publish" });
      expect({ signal: run.signal, stderr: run.stderr }).toEqual({ signal: "SIGKILL", stderr: "" });
      committed.push(...idsAfter(run.stdout, "COMMITTED"));
      rolledBack.push(...idsAfter(run.stdout, "ROLLED_BACK"));
    }
    expect(committed).toHaveLength(20);
    expect(rolledBack).toHaveLength(20);
    const unpublished = await suite.t.sql<{ id: string }>("select id from outbox_event where published_at is null");
    expect(unpublished.map((r) => r.id).sort()).toEqual([...committed].sort());

    const restart = await runChild({ DATABASE_URL: suite.t.db.url, TOPIC: topic, CRASH: "none" });
    expect(restart.code).toBe(0);

    const messages = await readTopic(topic, 20);
    const published = messages.map((m) => m.headers.ce_id);
    expect([...published].sort()).toEqual([...committed].sort());
    expect(published.filter((id) => rolledBack.includes(id as string))).toEqual([]);
    expect(await messagesOnTopic(topic)).toBe(20);
    expect(await suite.t.sql("select 1 from outbox_event where published_at is null")).toHaveLength(0);
  },
  TIMEOUT,
);

test(
  "killed after publishing and before marking: the duplicate is delivered and the consumer's effect happens once",
  async () => {
    const topic = uniqueTopic("crash_after");
    const { userId, eventId } = await registerUser(suite.t.orm, topic, "twice");
    const run = await runChild({ DATABASE_URL: suite.t.db.url, TOPIC: topic, CRASH: "after-publish" });
    expect(run.signal).toBe("SIGKILL");
    expect(await suite.t.sql("select 1 from outbox_event where id = ? and published_at is null", [eventId])).toHaveLength(1);
    expect(await messagesOnTopic(topic)).toBe(1);

    expect((await runChild({ DATABASE_URL: suite.t.db.url, TOPIC: topic, CRASH: "none" })).code).toBe(0);
    const messages = await readTopic(topic, 2);
    expect(messages.map((m) => m.headers.ce_id)).toEqual([eventId, eventId]);

    const registry = new Registry();
    await startConsumer(suite, { group: `${topic}.profiles`, topics: [topic], effects: profileEffects, metrics: registry });
    const outcomes = async () => await registry.getSingleMetricAsString("events_consumed_total");
    await waitFor("both deliveries", async () => /outcome="duplicate"[^\n]* 1/.test(await outcomes()), 30_000);
    expect(await outcomes()).toMatch(/outcome="applied"[^\n]* 1/);
    expect(await suite.t.sql("select user_id from test_profile where user_id = ?", [userId])).toHaveLength(1);
  },
  TIMEOUT,
);
