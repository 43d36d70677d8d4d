// gRPC (HTTP/2 cleartext to Envoy) and gRPC-Web (HTTP/1.1) clients through the real Envoy to the stub
// services over mutual TLS: the grpc_web filter, h2c on the listener, and JWT answers as gRPC statuses.

import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { UserLookupService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { jest } from "@jest/globals";
import type { RunningEnvoy } from "./harness.ts";
import { type EnvoyOnStubs, type Stubs, startEnvoyOnStubs } from "./stubs.ts";

jest.setTimeout(120_000);

let stubs: Stubs;
let envoy: RunningEnvoy;
let edge: EnvoyOnStubs;
beforeAll(async () => {
  edge = await startEnvoyOnStubs();
  ({ stubs, envoy } = edge);
});
afterAll(() => edge?.stop());

const transports = {
  grpc: () => createGrpcTransport({ baseUrl: envoy.url }),
  "grpc-web": () => createGrpcWebTransport({ baseUrl: envoy.url, httpVersion: "1.1" }),
};

describe.each(Object.keys(transports) as Array<keyof typeof transports>)("%s through Envoy", (kind) => {
  test("a public RPC answers; a user RPC needs a token (UNAUTHENTICATED) and answers with one", async () => {
    const transport = transports[kind]();
    const login = await createClient(AuthService, transport).login({ username: "a", password: "b" });
    expect(login.access).toBe("");
    expect(stubs.byOwner.auth.calls.at(-1)?.rpcPath).toBe("/identity.auth.v1.AuthService/Login");

    const friendships = createClient(FriendshipService, transport);
    const refused = await friendships.listFriendships({}).catch((e: unknown) => ConnectError.from(e));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.Unauthenticated);

    const headers = { authorization: `Bearer ${stubs.signer.token()}` };
    const ok = await friendships.listFriendships({ pageSize: 2 }, { headers });
    expect(ok.friendships).toEqual([]);
    expect(stubs.byOwner.friendship.calls.at(-1)?.request).toMatchObject({ pageSize: 2 });
  });

  test("an internal service is not there", async () => {
    const lookup = createClient(UserLookupService, transports[kind]());
    const error = await lookup.batchGetUsers({}).catch((e: unknown) => ConnectError.from(e));
    expect([Code.Unimplemented, Code.NotFound]).toContain((error as ConnectError).code);
    expect(stubs.byOwner.profile.calls.filter((c) => c.rpcPath.includes("UserLookup"))).toEqual([]);
  });
});
