// Replicas that come and go without users noticing (two replicas of every service, STACK_REPLICAS=2). Mixed
// load runs through Envoy (reads, logins, refreshes, friend requests and registrations with Idempotency-Key
// and client retries) while one replica of each service in turn is killed with SIGKILL, then every replica of
// every service is rolled with SIGTERM. Nobody restarts anything by hand: the stack's supervisor does.
// - kill phase: at most 0.1 % of operations fail (only what was in flight on the killed replica);
// - rolling restart: none fails;
// - no request that never reached a service failed (Envoy's access log: no connection failure answered);
// - every registration and friend request exists once or not at all (databases), one event each (Kafka);
// - the stack is back to full health at the end.
// The figures are printed (and written to .data/stack/rolling-restart.json) for docs/deploy.md.

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { jest } from "@jest/globals";
import { type Databases, openDatabases } from "./support/database.ts";
import { headersOf, readTopicWithKcat } from "./support/kafka.ts";
import { type Outcome, startMixedLoad } from "./support/mixed-load.ts";
import { envoyHostHealth, msUntil, replicaPid, replicaReady, signalReplica } from "./support/replicas.ts";
import { type RegisteredUser, register, restClient, verifyAndLogin } from "./support/rest.ts";
import { eventually, repoRoot, requireStack, type ServiceName, stackLogDir } from "./support/stack.ts";

jest.setTimeout(300_000);

const SERVICES: ServiceName[] = ["auth", "profile", "friendship"];
const REPLICAS = [1, 2];
/** Client addresses 127.0.0.170 and up: no other suite uses them (support/rest.ts). */
const SETUP_ADDRESS = "127.0.0.170";
const FIRST_LOAD_ADDRESS = 171;
const USERS = 24;

let db: Databases;
beforeAll(async () => {
  await requireStack({ replicas: 2 });
  db = openDatabases();
});
afterAll(async () => {
  await db?.close();
});

async function inBatches<T>(n: number, size: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, make))));
  return out;
}

interface Event {
  service: ServiceName;
  replica: number;
  signal: string;
  /** From the signal until Envoy marked the replica unhealthy (ejected or failing its health check). */
  ejectMs: number;
  /** From the signal until the replica was ready again and Envoy sent it traffic. */
  healMs: number;
}

/** Signals one replica and waits until Envoy has taken it out, the supervisor has restarted it, and it is back. */
async function cycle(service: ServiceName, replica: number, signal: "SIGKILL" | "SIGTERM"): Promise<Event> {
  const before = replicaPid(service, replica);
  const started = Date.now();
  signalReplica(service, replica, signal);
  const ejectMs = await msUntil(
    `Envoy takes ${service}-${replica} out`,
    async () => (await envoyHostHealth(service, replica)) !== "healthy",
    30_000,
  );
  await msUntil(
    `${service}-${replica} restarted by the supervisor`,
    async () => {
      const now = replicaPid(service, replica);
      return now !== undefined && now !== before;
    },
    60_000,
  );
  await msUntil(`${service}-${replica} ready`, () => replicaReady(service, replica), 90_000);
  await msUntil(`Envoy sends to ${service}-${replica} again`, async () => (await envoyHostHealth(service, replica)) === "healthy", 30_000);
  return { service, replica, signal, ejectMs, healMs: Date.now() - started };
}

const summarize = (outcomes: Outcome[], phase: string) => {
  const of = outcomes.filter((o) => o.phase === phase);
  return {
    operations: of.length,
    failed: of.filter((o) => !o.ok).length,
    requests: of.reduce((n, o) => n + o.attempts, 0),
    failedRequests: of.reduce((n, o) => n + o.failedAttempts, 0),
    failures: of.filter((o) => !o.ok).map((o) => `${o.op} ${o.status} ${o.detail ?? ""}`),
  };
};

interface AccessLine {
  time: string;
  client: string;
  status: string;
  flags: string;
  details: string;
  path: string;
}

test("kill -9 of one replica of each service, then a rolling restart of all six, under mixed load", async () => {
  // Verified users for friend requests, logins and refreshes.
  const setup = restClient(SETUP_ADDRESS);
  const users: RegisteredUser[] = await inBatches(USERS, 4, async () => verifyAndLogin(setup, await register(setup, "roller")));
  setup.close();

  const startedAt = new Date();
  const load = startMixedLoad({ users, firstAddress: FIRST_LOAD_ADDRESS });
  const events: Event[] = [];
  try {
    await new Promise((r) => setTimeout(r, 3000));
    load.setPhase("kill");
    for (const [i, service] of SERVICES.entries()) {
      events.push(await cycle(service, (i % 2) + 1, "SIGKILL"));
      // Steady load on the healed stack too: the phase then has 1,000+ operations even on a slow machine.
      await new Promise((r) => setTimeout(r, 4000));
    }
    load.setPhase("rolling");
    for (const service of SERVICES) for (const replica of REPLICAS) events.push(await cycle(service, replica, "SIGTERM"));
    load.setPhase("tail");
    await new Promise((r) => setTimeout(r, 2000));
  } finally {
    await load.stop();
  }

  const kill = summarize(load.outcomes, "kill");
  const rolling = summarize(load.outcomes, "rolling");
  const all = summarize(
    load.outcomes.map((o) => ({ ...o, phase: "all" })),
    "all",
  );

  // Envoy's access log: a request that never reached a service (connection refused, no healthy host) must
  // have been retried elsewhere, never answered with an error.
  const ours = (client: string) => Number(client.split(".")[3]) >= FIRST_LOAD_ADDRESS && client.startsWith("127.0.0.");
  const accessLog = (await readFile(resolve(stackLogDir, "envoy/envoy.log"), "utf8"))
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as AccessLine)
    .filter((l) => ours(l.client) && new Date(l.time) >= startedAt);
  const neverReached = accessLog.filter((l) => Number(l.status) >= 500 && /\b(UF|UH)\b/.test(l.flags));
  const resetInFlight = accessLog.filter((l) => Number(l.status) >= 500 && /\b(UC|UR)\b/.test(l.flags));

  const figures = {
    operations: all.operations,
    requests: all.requests,
    kill: { ...kill, failures: kill.failures },
    rolling: { ...rolling, failures: rolling.failures },
    envoy: { answered5xxNeverReached: neverReached.length, answered5xxResetInFlight: resetInFlight.length },
    events,
    registrations: load.registrations.length,
    friendRequests: load.friendRequests.length,
  };
  console.log(JSON.stringify(figures, null, 2));
  writeFileSync(resolve(stackLogDir, "rolling-restart.json"), JSON.stringify(figures, null, 2));

  expect(kill.operations).toBeGreaterThanOrEqual(1000);
  expect(kill.failed).toBeLessThanOrEqual(Math.floor(kill.operations * 0.001));
  expect(rolling.failures).toEqual([]);
  expect(neverReached.map((l) => `${l.status} ${l.flags} ${l.details} ${l.path}`)).toEqual([]);

  // Registrations: each one present once or not at all; every one answered 201 is there, with one
  // user.registered in the outbox, one profile, one copy in friendship's user replica, one event on Kafka.
  const names = load.registrations.map((r) => r.username);
  const accounts = await db.query<{ username: string; id: string; n: number }>(
    "auth",
    "select username, min(id::text) as id, count(*)::int as n from app_user where username = any($1) group by username",
    [names],
  );
  expect(accounts.filter((a) => a.n !== 1)).toEqual([]);
  const present = new Map(accounts.map((a) => [a.username, a.id]));
  for (const r of load.registrations.filter((x) => x.ok)) expect([r.username, present.get(r.username)]).toEqual([r.username, r.id]);
  const ids = accounts.map((a) => a.id);
  const outboxed = await db.query<{ key: string; n: number }>(
    "auth",
    "select key, count(*)::int as n from outbox_event where type = 'user.registered' and key = any($1) group by key",
    [ids],
  );
  expect([outboxed.length, outboxed.filter((o) => o.n !== 1)]).toEqual([ids.length, []]);
  await eventually(
    "every registered user has one profile and one friendship replica row",
    async () => {
      const profiles = await db.count("profile", "select count(*)::int as n from profile where user_id = any($1)", [ids]);
      const known = await db.count("friendship", "select count(*)::int as n from known_user where id = any($1)", [ids]);
      return profiles === ids.length && known === ids.length ? true : undefined;
    },
    90_000,
  );

  // Friend requests: at most one relationship per pair, the one answered 201 when there was an answer.
  const pairs = await db.query<{ requester_id: string; addressee_id: string; id: string }>(
    "friendship",
    "select requester_id::text, addressee_id::text, id::text from friendship where requester_id = any($1) or addressee_id = any($1)",
    [users.map((u) => u.id)],
  );
  const between = (a: string, b: string) =>
    pairs.filter((p) => (p.requester_id === a && p.addressee_id === b) || (p.requester_id === b && p.addressee_id === a));
  for (const f of load.friendRequests) {
    const rows = between(f.requester, f.addressee);
    expect(rows.length).toBeLessThanOrEqual(1);
    if (f.ok) expect(rows.map((r) => r.id)).toEqual([f.id]);
  }
  const friendshipIds = pairs.map((p) => p.id);
  const requested = await db.query<{ key: string; n: number }>(
    "friendship",
    "select key, count(*)::int as n from outbox_event where type = 'friendship.requested' and key = any($1) group by key",
    [friendshipIds],
  );
  expect([requested.length, requested.filter((r) => r.n !== 1)]).toEqual([friendshipIds.length, []]);

  // On Kafka: one event per registration and per friend request. A relay killed between publishing and
  // marking its batch publishes that batch again (at least once); the copies carry the same event id, which
  // the consumers apply once, so what must be single is the event id.
  await eventually(
    "every event on Kafka",
    async () => {
      const users = (await readTopicWithKcat("identity.users.v1")).filter((m) => m.key !== null && ids.includes(m.key));
      const friendships = (await readTopicWithKcat("social.friendships.v1")).filter(
        (m) => m.key !== null && friendshipIds.includes(m.key) && headersOf(m).ce_type === "friendship.requested",
      );
      const distinct = (messages: typeof users, type: string) => {
        const byKey = new Map<string, Set<string>>();
        for (const m of messages.filter((x) => headersOf(x).ce_type === type)) {
          const set = byKey.get(m.key as string) ?? new Set<string>();
          set.add(headersOf(m).ce_id as string);
          byKey.set(m.key as string, set);
        }
        return byKey;
      };
      const registered = distinct(users, "user.registered");
      const requestedEvents = distinct(friendships, "friendship.requested");
      if (registered.size < ids.length || requestedEvents.size < friendshipIds.length) return undefined;
      expect([...registered.values()].filter((s) => s.size !== 1)).toEqual([]);
      expect([...requestedEvents.values()].filter((s) => s.size !== 1)).toEqual([]);
      return true;
    },
    60_000,
  );

  // Back to full health by itself: every part up, every replica ready and in Envoy's rotation.
  for (const service of SERVICES) {
    for (const replica of REPLICAS) {
      expect([service, replica, await replicaReady(service, replica), await envoyHostHealth(service, replica)]).toEqual([
        service,
        replica,
        true,
        "healthy",
      ]);
    }
  }
  expect(() => execFileSync("bash", ["scripts/stack.sh", "status"], { cwd: repoRoot, stdio: "pipe" })).not.toThrow();
});
