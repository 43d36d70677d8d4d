// Kafka stopped for 60 s while 500 users register, with the real services: the auth service (Register RPC,
// its outbox and relay) and the profile service (its user.registered consumer) hosted by the test harness,
// sharing one Kafka bus on a broker of this suite's own (port 19092, wiped at the start, so other suites'
// broker keeps running and old runs leave nothing behind). Every registration succeeds while the broker is
// down; once it is back, every event is published and every profile is created exactly once.

import { type AuthModule, authService } from "@identity/auth/definition.ts";
import { type ProfileModule, profileService } from "@identity/profile/definition.ts";
import { USERS_CONSUMER_GROUP } from "@identity/profile/events/consumed.ts";
import { topics } from "@identity/proto/event-catalogue";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { createKafkaBus, type KafkaBus } from "@identity/shared/events/kafka-bus.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { type ServiceHarness, startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { createTestTokens } from "@identity/shared/testing/test-tokens.ts";
import { ownBroker, waitFor } from "../../services/shared/test/events/events-test-kit.ts";

const OUTAGE_MS = 60_000;
const USERS = 500;
const WAVE = 10;
const PASSWORD = "correct horse battery staple 42";
const broker = ownBroker(19092);

let bus: KafkaBus;
let auth: ServiceHarness<AuthModule>;
let profile: ServiceHarness<ProfileModule>;
beforeAll(async () => {
  await broker.reset();
  await broker.start();
  bus = createKafkaBus({
    brokers: [broker.brokers],
    clientId: "events-test-outage",
    logger: silentLogger(),
    topics: Object.values(topics),
  });
  // Registrations all come from 127.0.0.1: lift the per-client throttle (the only limit on Register).
  auth = await startServiceHarness(authService, { bus, env: { REGISTRATIONS_PER_CLIENT_LIMIT: "100000" } });
  profile = await startServiceHarness(profileService, { bus, verifier: (await createTestTokens()).verifier });
}, 240_000);
afterAll(async () => {
  // The bus is shared: the first close stops it, the second finds it stopped.
  await profile?.close();
  await auth?.close();
  await broker.stop();
}, 120_000);

type Service = Pick<ServiceHarness<AuthModule | ProfileModule>, "orm">;
const count = async (service: Service, query: string, params: unknown[] = []) =>
  Number(((await service.orm.em.fork().getConnection().execute(query, params, "all")) as { n: number }[])[0]?.n);
const unpublished = (service: Service) => count(service, "select count(*)::int as n from outbox_event where published_at is null");
const profilesOf = (userIds: readonly string[]) => count(profile, "select count(*)::int as n from profile where user_id in (?)", [userIds]);
const processedByProfile = () =>
  count(profile, "select count(*)::int as n from processed_event where consumer = ?", [USERS_CONSUMER_GROUP]);

/** A gauge of the auth service's /metrics (the relay's own view of the outage). */
async function authGauge(name: string): Promise<number> {
  const text = await (await fetch(`${auth.opsUrl}/metrics`)).text();
  const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1];
  return Number(value);
}

const register = async (username: string) => {
  const res = await auth
    .client(AuthService)
    .register({ username, email: `${username}@example.com`, password: PASSWORD, firstName: "Out", lastName: "Age" });
  return res.user?.id as string;
};

test(`Kafka down for ${OUTAGE_MS / 1000} s while ${USERS} users register through the auth service: all succeed; then every event is published and the profile service creates each profile exactly once`, async () => {
  // The pipeline works before the outage (and the profile consumer has joined its group).
  const first = await register("before_outage");
  await waitFor("the first profile", async () => (await profilesOf([first])) === 1, 60_000, 100);
  // Readiness asks the broker over one connection it keeps (twice here: the second reuses it).
  await bus.checkReady();
  await bus.checkReady();

  await broker.stop();
  const down = Date.now();
  const userIds: string[] = [];
  const failures: unknown[] = [];
  for (let i = 0; i < USERS; i += WAVE) {
    // Spread over most of the outage; a slow wave (password hashing) only shortens the next pause.
    const due = down + (i / USERS) * OUTAGE_MS * 0.8;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    const wave = Array.from({ length: WAVE }, (_, j) =>
      register(`outage_${i + j}`).then(
        (id) => void userIds.push(id),
        (err) => void failures.push(err),
      ),
    );
    await Promise.all(wave);
  }
  const registeringMs = Date.now() - down;
  expect(failures).toEqual([]);
  expect(userIds).toHaveLength(USERS);
  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
  expect(await unpublished(auth)).toBe(USERS);
  expect(await authGauge("outbox_backlog")).toBe(USERS);
  expect(await authGauge("outbox_relay_failing")).toBe(1);
  expect(await profilesOf(userIds)).toBe(0);
  // The kept connection does not hide the outage.
  await expect(bus.checkReady()).rejects.toThrow();

  await broker.start();
  const back = Date.now();
  await waitFor(
    "readiness with the broker back",
    () =>
      bus.checkReady().then(
        () => true,
        () => false,
      ),
    60_000,
    250,
  );
  await waitFor("every profile", async () => (await profilesOf(userIds)) === USERS, 180_000, 250);
  const catchUpMs = Date.now() - back;
  await waitFor("the profile service's own events published", async () => (await unpublished(profile)) === 0, 60_000, 250);
  expect(await unpublished(auth)).toBe(0);
  expect(await authGauge("outbox_relay_failing")).toBe(0);
  await new Promise((r) => setTimeout(r, 2_000)); // room for a duplicate effect to show up
  expect(await profilesOf(userIds)).toBe(USERS);
  expect(await count(profile, "select count(*)::int as n from profile")).toBe(USERS + 1);
  expect(await count(profile, "select count(distinct user_id)::int as n from profile")).toBe(USERS + 1);
  // The effect is the event's: the names come from user.registered (nobody read or edited these profiles).
  expect(
    await count(profile, "select count(*)::int as n from profile where user_id in (?) and first_name = 'Out' and last_name = 'Age'", [
      userIds,
    ]),
  ).toBe(USERS);
  expect(await processedByProfile()).toBe(USERS + 1); // each user.registered applied once, the first one included
  process.stdout.write(
    `outage test: ${USERS} registrations in ${registeringMs} ms with the broker down; all ${USERS} profiles ${catchUpMs} ms after it was back\n`,
  );
}, 420_000);
