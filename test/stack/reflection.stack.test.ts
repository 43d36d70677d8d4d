// gRPC server reflection through Envoy on the running stack, with the real grpcurl and no .proto file: what
// an operator types first (`grpcurl -plaintext localhost:8080 list`), describe, and calls, public and with a
// token; and the same on a service directly, over mutual TLS with Envoy's certificate.
import { expectGatewayView, expectUnknownLoginRefused, grpcurl, listServices } from "@identity/shared/testing/grpcurl.ts";
import { jest } from "@jest/globals";
import { certsDir, gatewayUrl, requireStack, rpcPort, serverName } from "./support/stack.ts";

jest.setTimeout(60_000);

const gateway = new URL(gatewayUrl).host;
beforeAll(() => requireStack());

test("grpcurl list through Envoy names every exposed service and none of the internal ones", async () => {
  const names = await listServices(["-plaintext", gateway]);
  expectGatewayView(names);
  expect(names).toContain("grpc.reflection.v1alpha.ServerReflection");
});

test("grpcurl describe and calls through Envoy, without any proto file", async () => {
  const describe = await grpcurl(["-plaintext", gateway, "describe", "identity.auth.v1.AuthService"]);
  expect(describe.status).toBe(0);
  expect(describe.out).toMatch(/rpc Login \(/);
  expect(describe.out).toMatch(/rpc Register \(/);

  await expectUnknownLoginRefused(gateway);

  const profile = await grpcurl(["-plaintext", "-d", "{}", gateway, "identity.profile.v1.ProfileService/GetMyProfile"]);
  expect(profile.status).not.toBe(0);
  expect(profile.out).toMatch(/Code: Unauthenticated/);
});

test("a service answers reflection itself over mutual TLS, listing its own services", async () => {
  const list = await grpcurl([
    "-cacert",
    `${certsDir}/ca.crt`,
    "-cert",
    `${certsDir}/envoy.crt`,
    "-key",
    `${certsDir}/envoy.key`,
    "-servername",
    serverName("profile"),
    `127.0.0.1:${rpcPort("profile")}`,
    "list",
  ]);
  expect(list.status).toBe(0);
  const names = list.out.trim().split("\n");
  expect(names).toContain("identity.profile.v1.ProfileService");
  expect(names).toContain("identity.profile.v1.UserLookupService");
  expect(names).not.toContain("identity.auth.v1.AuthService");
});
