// gRPC server reflection through the embedded gateway (npm start), with the real grpcurl and no .proto file:
// list names every exposed service (not the internal ones), describe, and a call.
import { expectGatewayView, expectUnknownLoginRefused, grpcurl, listServices } from "@identity/shared/testing/grpcurl.ts";
import { jest } from "@jest/globals";
import { type EmbeddedPlatform, startTestPlatform } from "../support/test-platform.ts";

jest.setTimeout(120_000);

let platform: EmbeddedPlatform;
let address: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  address = new URL(platform.url).host;
}, 120_000);
afterAll(() => platform?.stop());

test("grpcurl list, describe and a call through the embedded gateway", async () => {
  const names = await listServices(["-plaintext", address]);
  expectGatewayView(names);
  expect(names).not.toContain("grpc.health.v1.Health");

  const describe = await grpcurl(["-plaintext", address, "describe", "identity.profile.v1.ProfileService"]);
  expect(describe.status).toBe(0);
  expect(describe.out).toMatch(/rpc GetMyProfile \(/);

  const profile = await grpcurl(["-plaintext", "-d", "{}", address, "identity.profile.v1.ProfileService/GetMyProfile"]);
  expect(profile.status).not.toBe(0);
  expect(profile.out).toMatch(/Code: Unauthenticated/);
  await expectUnknownLoginRefused(address);
});
