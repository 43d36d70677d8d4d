// gRPC server reflection through the embedded gateway (npm start), with the real grpcurl and no .proto file:
// list names every exposed service (not the internal ones), describe, and a call.
import { silentLogger } from "@identity/shared/logger.ts";
import { grpcurl } from "@identity/shared/testing/grpcurl.ts";
import { jest } from "@jest/globals";
import { embeddedOptionsFromEnv } from "../../src/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "../../src/embedded/platform.ts";

jest.setTimeout(120_000);

let platform: EmbeddedPlatform;
let address: string;
beforeAll(async () => {
  const env = { ...process.env, ENVIRONMENT: "dev", EMBEDDED_DATA_DIR: ":memory:", GATEWAY_LISTEN: "127.0.0.1:0" };
  platform = await startEmbeddedPlatform(embeddedOptionsFromEnv(env), { env, logger: () => silentLogger() });
  address = new URL(platform.url).host;
}, 120_000);
afterAll(() => platform?.stop());

test("grpcurl list, describe and a call through the embedded gateway", async () => {
  const list = await grpcurl(["-plaintext", address, "list"]);
  expect(list.status).toBe(0);
  const names = list.out.trim().split("\n");
  expect(names).toEqual(
    expect.arrayContaining([
      "identity.auth.v1.AuthService",
      "identity.profile.v1.ProfileService",
      "identity.friendship.v1.FriendshipService",
      "grpc.reflection.v1.ServerReflection",
    ]),
  );
  expect(names).not.toContain("identity.profile.v1.UserLookupService");
  expect(names).not.toContain("grpc.health.v1.Health");

  const describe = await grpcurl(["-plaintext", address, "describe", "identity.profile.v1.ProfileService"]);
  expect(describe.status).toBe(0);
  expect(describe.out).toMatch(/rpc GetMyProfile \(/);

  const profile = await grpcurl(["-plaintext", "-d", "{}", address, "identity.profile.v1.ProfileService/GetMyProfile"]);
  expect(profile.status).not.toBe(0);
  expect(profile.out).toMatch(/Code: Unauthenticated/);
  const login = await grpcurl([
    "-plaintext",
    "-d",
    '{"username": "nobody_here", "password": "not the password"}',
    address,
    "identity.auth.v1.AuthService/Login",
  ]);
  expect(login.out).toMatch(/Code: Unauthenticated[\s\S]*No active account found/);
});
