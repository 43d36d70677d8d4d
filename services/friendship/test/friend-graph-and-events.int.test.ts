// FriendGraphService.CheckFriendship for other backends, behind the platform's real interceptors with a
// service authenticator; and the relay carrying friendship events to the bus (the seed's sequence diagram:
// request, accept, friendship.accepted on the bus).
import { createServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { fromBinary } from "@bufbuild/protobuf";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { FriendshipAcceptedSchema } from "@identity/proto/identity/friendship/v1/friendship_events_pb.js";
import { FriendGraphService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import type { EventMessage } from "@identity/shared/events/event-bus.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { createRpcHandler } from "@identity/shared/server/rpc-handler.ts";
import { type FriendshipFixture, failure, startFriendshipFixture } from "./friendship-fixture.ts";

let f: FriendshipFixture;
let server: Http2Server;
let graph: ReturnType<typeof createClient<typeof FriendGraphService>>;
const published: EventMessage[] = [];

beforeAll(async () => {
  f = await startFriendshipFixture();
  await f.harness.bus.subscribe("test.friendships", ["social.friendships.v1"], async (m) => void published.push(m));
  // The same module behind the real handler, with a service authenticator that knows one test credential.
  const handler = createRpcHandler(f.harness.module, {
    logger: silentLogger(),
    environment: "dev",
    verifier: f.tokens.verifier,
    services: {
      authenticate: async ({ header }) => (header.get("x-test-service-key") === "cms-key" ? { name: "cms", scopes: [] } : undefined),
    },
  });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const transport = createConnectTransport({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    httpVersion: "2",
    interceptors: [
      (next) => (req) => {
        req.header.set("x-test-service-key", "cms-key");
        return next(req);
      },
    ],
  });
  graph = createClient(FriendGraphService, transport);
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await f?.close();
});

test("CheckFriendship: true only for an accepted friendship, whichever way round", async () => {
  const alice = await f.user();
  const bob = await f.user();
  const carol = await f.user();
  expect(await graph.checkFriendship({ userId: alice.id, otherUserId: bob.id })).toMatchObject({ friends: false });
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  expect((await graph.checkFriendship({ userId: alice.id, otherUserId: bob.id })).friends).toBe(false);
  await bob.client.respondToFriendRequest({ id: friendship!.id, action: "accept" });
  expect((await graph.checkFriendship({ userId: alice.id, otherUserId: bob.id })).friends).toBe(true);
  expect((await graph.checkFriendship({ userId: bob.id, otherUserId: alice.id })).friends).toBe(true);
  expect((await graph.checkFriendship({ userId: alice.id, otherUserId: carol.id })).friends).toBe(false);
  expect((await failure(graph.checkFriendship({ userId: alice.id, otherUserId: "nope" }))).code).toBe(Code.InvalidArgument);
});

test("CheckFriendship refuses end users and anonymous callers", async () => {
  const alice = await f.user();
  const asUser = f.harness.client(FriendGraphService, alice.token);
  expect((await failure(asUser.checkFriendship({ userId: alice.id, otherUserId: alice.id }))).code).toBe(Code.Unauthenticated);
  expect((await failure(f.harness.client(FriendGraphService).checkFriendship({ userId: alice.id, otherUserId: alice.id }))).code).toBe(
    Code.Unauthenticated,
  );
});

test("request then accept: the relay puts friendship.accepted on the bus, keyed by the friendship id", async () => {
  const alice = await f.user();
  const bob = await f.user();
  const { friendship } = await alice.client.createFriendRequest({ addresseeId: bob.id });
  await bob.client.respondToFriendRequest({ id: friendship!.id, action: "accept" });
  const id = friendship!.id;
  for (let i = 0; i < 100 && published.filter((m) => m.key === id).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  const mine = published.filter((m) => m.key === id);
  expect(mine.map((m) => m.headers.ce_type)).toEqual(["friendship.requested", "friendship.accepted"]);
  expect(mine[1]!.headers).toMatchObject({ ce_source: "identity/friendship", "content-type": "application/protobuf" });
  expect(fromBinary(FriendshipAcceptedSchema, mine[1]!.value)).toMatchObject({
    friendshipId: id,
    requesterId: alice.id,
    addresseeId: bob.id,
    actorId: bob.id,
  });
  expect(mine[1]!.topic).toBe("social.friendships.v1");
});
