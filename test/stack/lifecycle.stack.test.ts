// The account lifecycle on the stack: two replicas of every service (STACK_REPLICAS=2), Kafka, Envoy. Logging
// out everywhere on one auth replica is honoured by the other replica of every service within 2 s (each
// replica's revocation list reads session.revoked from Kafka in a consumer group of its own), and the
// lifecycle's events reach Kafka with their CloudEvents headers.
import type { DescService } from "@bufbuild/protobuf";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { jest } from "@jest/globals";
import { clientCert, platformCa } from "./support/certificates.ts";
import { headersOf, readTopicWithKcat } from "./support/kafka.ts";
import { latestCode, PASSWORD, register, restClient } from "./support/rest.ts";
import { eventually, requireStack, rpcPort, type ServiceName, serverName } from "./support/stack.ts";

jest.setTimeout(90_000);

const api = restClient("127.0.0.14");
beforeAll(() => requireStack({ replicas: 2 }));
afterAll(() => api.close());

/** A service on one replica, directly over mutual TLS with Envoy's client certificate, as the user of `token`. */
function onReplica<S extends DescService>(desc: S, service: ServiceName, replica: number, token: string) {
  const { cert, key } = clientCert("envoy");
  const transport = createGrpcTransport({
    baseUrl: `https://127.0.0.1:${rpcPort(service, replica)}`,
    nodeOptions: { ca: platformCa(), cert, key, servername: serverName(service) },
    interceptors: [
      (next) => (req) => {
        req.header.set("authorization", `Bearer ${token}`);
        return next(req);
      },
    ],
  });
  return createClient(desc, transport);
}

/** One call per service and replica, answering its error reason or "ok". */
async function answersOf(token: string): Promise<Record<string, string>> {
  const reasonOf = (err: unknown) => ConnectError.from(err).findDetails(ErrorInfoSchema)[0]?.reason ?? String(ConnectError.from(err).code);
  const out: Record<string, string> = {};
  for (const replica of [1, 2]) {
    const calls: Record<string, () => Promise<unknown>> = {
      [`auth${replica}`]: () => onReplica(AuthService, "auth", replica, token).listSessions({}),
      [`profile${replica}`]: () => onReplica(ProfileService, "profile", replica, token).getMyProfile({}),
      [`friendship${replica}`]: () => onReplica(FriendshipService, "friendship", replica, token).listFriendships({}),
    };
    for (const [name, call] of Object.entries(calls)) out[name] = await call().then(() => "ok", reasonOf);
  }
  return out;
}

const everywhere = (answer: string) =>
  Object.fromEntries(["auth", "profile", "friendship"].flatMap((s) => [1, 2].map((k) => [`${s}${k}`, answer])));

test("logout all on auth replica 1: every replica of every service refuses the other session's token within 2 s", async () => {
  const user = await register(api, "lall");
  const second = await api.post("/api/auth/login/", { username: user.username, password: PASSWORD });
  expect(second.status).toBe(200);
  expect(await answersOf(second.body.access)).toEqual(everywhere("ok"));

  await onReplica(AuthService, "auth", 1, user.access).logoutAll({});
  const started = Date.now();
  await eventually(
    "every replica refuses the revoked session",
    async () => {
      const answers = await answersOf(second.body.access);
      return Object.values(answers).every((a) => a === "TOKEN_NOT_VALID") ? answers : undefined;
    },
    2000,
  );
  const took = Date.now() - started;
  console.info(`logout all on auth replica 1: refused by auth, profile and friendship replicas 1 and 2 after ${took} ms`);
  expect(took).toBeLessThan(2000);
  // The refresh token died at once, on either auth replica.
  const refresh = await api.post("/api/auth/refresh/", { refresh: second.body.refresh });
  expect(refresh.status).toBe(401);
});

test("password change, email change, revocation and deletion reach Kafka with CloudEvents headers", async () => {
  const user = await register(api, "lkaf");
  const pair = (await api.post("/api/auth/password/change/", { current_password: PASSWORD, new_password: `${PASSWORD} 2` }, user.access))
    .body;
  expect(pair.access).toEqual(expect.any(String));
  const target = `${user.username.toLowerCase()}.new@example.org`;
  expect((await api.post("/api/auth/email/change/", { new_email: target, password: `${PASSWORD} 2` }, pair.access)).status).toBe(202);
  const code = await eventually("the code mailed to the new address", async () => latestCode(api, target).catch(() => undefined));
  expect((await api.post("/api/auth/email/change/confirm/", { code }, pair.access)).status).toBe(200);
  expect((await api.post("/api/auth/logout/all/", {}, pair.access)).status).toBe(200);
  const login = await api.post("/api/auth/login/", { username: user.username, password: `${PASSWORD} 2` });
  expect((await api.post("/api/auth/account/delete/", { password: `${PASSWORD} 2` }, login.body.access)).status).toBe(200);

  const wanted = ["user.password_changed", "user.email_changed", "session.revoked", "user.deleted"];
  const messages = await eventually(
    "the lifecycle events of the user on identity.users.v1",
    async () => {
      const mine = (await readTopicWithKcat("identity.users.v1")).filter((m) => m.key === user.id);
      const types = new Set(mine.map((m) => headersOf(m).ce_type));
      return wanted.every((t) => types.has(t)) ? mine : undefined;
    },
    30_000,
  );
  for (const type of wanted) {
    const headers = headersOf(messages.find((m) => headersOf(m).ce_type === type)!);
    expect(headers).toMatchObject({
      ce_specversion: "1.0",
      ce_type: type,
      ce_source: "identity/auth",
      "content-type": "application/protobuf",
    });
    expect(headers.ce_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(headers.ce_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  }
  // And the deleted account's token is refused by every replica (the user.deleted entry), never recreating a profile.
  await eventually(
    "ACCOUNT_DELETED everywhere",
    async () => {
      const answers = await answersOf(login.body.access);
      return Object.values(answers).every((a) => a === "ACCOUNT_DELETED") ? answers : undefined;
    },
    2000,
  );
});
