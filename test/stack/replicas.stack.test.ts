// Two replicas of every service on one PostgreSQL and one Kafka (STACK_REPLICAS=2): state is shared, not
// per process. A session started on one auth replica is refreshed on the other, and the spent token is then
// refused on the first. Users registered through Envoy land on both auth replicas, both outbox relays
// publish, and every user ends with exactly one profile, one user.registered, one processed event in the
// profile and friendship consumers, one profile.updated: nothing lost, nothing doubled.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { jest } from "@jest/globals";
import { clientCert, platformCa } from "./support/certificates.ts";
import { type Databases, openDatabases } from "./support/database.ts";
import { PASSWORD, type RegisteredUser, register, restClient } from "./support/rest.ts";
import { eventually, metricValue, requireStack, rpcPort, serverName } from "./support/stack.ts";

jest.setTimeout(90_000);

// Its own client address, so Envoy's per-client rate limits of the other suites do not apply (support/rest.ts).
const api = restClient("127.0.0.12");
let db: Databases;
beforeAll(async () => {
  await requireStack({ replicas: 2 });
  db = openDatabases();
});
afterAll(async () => {
  api.close();
  await db?.close();
});

/** AuthService on one auth replica, directly over mutual TLS with Envoy's client certificate (Connect's gRPC protocol). */
function authReplica(replica: number) {
  const { cert, key } = clientCert("envoy");
  const transport = createGrpcTransport({
    baseUrl: `https://127.0.0.1:${rpcPort("auth", replica)}`,
    nodeOptions: { ca: platformCa(), cert, key, servername: serverName("auth") },
  });
  return createClient(AuthService, transport);
}

/** One value per auth, profile... replica: a tuple, so that both entries are always there. */
type PerReplica = [number, number];
const perReplica = async (read: (replica: number) => Promise<number>): Promise<PerReplica> => [await read(1), await read(2)];
const minus = (a: PerReplica, b: PerReplica): PerReplica => [a[0] - b[0], a[1] - b[1]];

const rpcCount = (replica: number, method: string, code = "ok") =>
  metricValue("auth", replica, "rpc_requests_total", { method: `identity.auth.v1.AuthService/${method}`, code });

test("a session opened on auth replica 1 is refreshed on replica 2; the spent refresh token is then refused on replica 1", async () => {
  const user = await register(api, "replica");
  const [one, two] = [authReplica(1), authReplica(2)];
  const before = { login: await rpcCount(1, "Login"), refresh: await rpcCount(2, "RefreshToken") };

  const login = await one.login({ username: user.username, password: PASSWORD });
  const rotated = await two.refreshToken({ refresh: login.refresh });
  expect(rotated.refresh).not.toBe(login.refresh);
  expect(rotated.access.split(".")).toHaveLength(3);
  expect(await rpcCount(1, "Login")).toBe(before.login + 1);
  expect(await rpcCount(2, "RefreshToken")).toBe(before.refresh + 1);

  // Reuse of a spent token revokes the whole session, whichever replica sees it.
  const reused = await one.refreshToken({ refresh: login.refresh }).catch((e: unknown) => ConnectError.from(e));
  expect(reused).toBeInstanceOf(ConnectError);
  expect((reused as ConnectError).code).toBe(Code.Unauthenticated);
  const revoked = await two.refreshToken({ refresh: rotated.refresh }).catch((e: unknown) => ConnectError.from(e));
  expect((revoked as ConnectError).code).toBe(Code.Unauthenticated);
});

describe("registrations through Envoy across both replicas", () => {
  const N = 16;
  let users: RegisteredUser[] = [];
  let ids: string[] = [];
  const registered = () => perReplica((k) => rpcCount(k, "Register"));
  const authPublished = () => perReplica((k) => metricValue("auth", k, "outbox_published_total"));
  const profilePublished = () => perReplica((k) => metricValue("profile", k, "outbox_published_total"));
  let before = { registered: [0, 0] as PerReplica, authPublished: [0, 0] as PerReplica, profilePublished: [0, 0] as PerReplica };

  beforeAll(async () => {
    before = { registered: await registered(), authPublished: await authPublished(), profilePublished: await profilePublished() };
    users = await Promise.all(Array.from({ length: N }, () => register(api, "fanout", "Replica")));
    ids = users.map((u) => u.id);
  });

  test("Envoy spread the registrations over both auth replicas, and both replicas' outbox relays published", async () => {
    const served = minus(await registered(), before.registered);
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
    expect(served[0] + served[1]).toBeGreaterThanOrEqual(N);
    // Wait for every event, not just the first of each relay: a relay may still be publishing the rest.
    const published = await eventually("both relays published every registration", async () => {
      const deltas = minus(await authPublished(), before.authPublished);
      return deltas[0] > 0 && deltas[1] > 0 && deltas[0] + deltas[1] >= N ? deltas : undefined;
    });
    expect(published[0] + published[1]).toBeGreaterThanOrEqual(N);
  });

  test("every user reads their own profile through Envoy at once (GET /api/profiles/me/)", async () => {
    const profiles = await Promise.all(users.map((u) => api.get("/api/profiles/me/", u.access)));
    expect(profiles.map((p) => p.status)).toEqual(users.map(() => 200));
    expect(profiles.map((p) => p.body.user_id)).toEqual(ids);
  });

  test("auth: exactly one user.registered per user, all published; the outbox drains", async () => {
    const rows = await eventually("every user.registered published", async () => {
      const found = await db.query<{ key: string; published: boolean }>(
        "auth",
        "select key, published_at is not null as published from outbox_event where type = 'user.registered' and key = any($1)",
        [ids],
      );
      return found.length === N && found.every((r) => r.published) ? found : undefined;
    });
    expect(new Set(rows.map((r) => r.key)).size).toBe(N);
    await eventually("no unpublished outbox row in identity_auth", async () => {
      const n = await db.count("auth", "select count(*)::int as n from outbox_event where published_at is null");
      return n === 0 ? true : undefined;
    });
  });

  test("both profile replicas created profiles (from the first GET or from the event) and both their relays published", async () => {
    // A relay claims any unpublished row (skip locked), so the replica that wakes first may publish a batch the
    // other one committed. Edits of a user of its own, spread over both replicas by Envoy, give each relay rows
    // committed by its own replica until both have published (the users above keep their one profile.updated).
    const probe = await register(api, "relayprobe", "Probe");
    let edits = 0;
    await eventually("both profile relays published", async () => {
      const deltas = minus(await profilePublished(), before.profilePublished);
      if (deltas[0] > 0 && deltas[1] > 0) return deltas;
      edits += 1;
      expect((await api.patch("/api/profiles/me/", { bio: `edit ${edits}` }, probe.access)).status).toBe(200);
      return undefined;
    });
  });

  test("profile: one profile per user, the event applied once (names filled), one profile.updated each", async () => {
    const eventIds = (
      await db.query<{ id: string }>("auth", "select id from outbox_event where type = 'user.registered' and key = any($1)", [ids])
    ).map((r) => r.id);
    expect(eventIds).toHaveLength(N);
    await eventually("profile.users processed every user.registered", async () => {
      const n = await db.count(
        "profile",
        "select count(*)::int as n from processed_event where consumer = 'profile.users' and event_id = any($1)",
        [eventIds],
      );
      return n === N ? true : undefined;
    });
    const profiles = await db.query<{ user_id: string; first_name: string }>(
      "profile",
      "select user_id, first_name from profile where user_id = any($1)",
      [ids],
    );
    expect(profiles.map((p) => p.user_id).sort()).toEqual([...ids].sort());
    expect(profiles.every((p) => p.first_name === "Replica")).toBe(true);
    const updates = await db.query<{ key: string; n: number }>(
      "profile",
      "select key, count(*)::int as n from outbox_event where type = 'profile.updated' and key = any($1) group by key",
      [ids],
    );
    expect(updates).toHaveLength(N);
    expect(updates.every((u) => u.n === 1)).toBe(true);
  });

  test("friendship: every user replicated exactly once (known_user, processed_event)", async () => {
    const eventIds = (
      await db.query<{ id: string }>("auth", "select id from outbox_event where type = 'user.registered' and key = any($1)", [ids])
    ).map((r) => r.id);
    await eventually("friendship.users processed every user.registered", async () => {
      const n = await db.count(
        "friendship",
        "select count(*)::int as n from processed_event where consumer = 'friendship.users' and event_id = any($1)",
        [eventIds],
      );
      return n === N ? true : undefined;
    });
    const known = await db.query<{ id: string }>("friendship", "select id from known_user where id = any($1)", [ids]);
    expect(known.map((k) => k.id).sort()).toEqual([...ids].sort());
  });
});
