// gRPC server reflection on a service, with the real grpcurl and no .proto file: list, describe and a call;
// the v1alpha protocol too; the gateway's view (every exposed service) when a gateway asks for it.
import { create, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as v1alpha from "@identity/proto/grpc/reflection/v1alpha/reflection_pb.js";
import { expectGatewayView, expectUnknownLoginRefused, grpcurl, listServices } from "@identity/shared/testing/grpcurl.ts";
import { type AuthHarness, startAuth } from "./support.ts";

let harness: AuthHarness;
let address: string;
beforeAll(async () => {
  harness = await startAuth();
  address = new URL(harness.baseUrl).host;
});
afterAll(() => harness?.close());

test("grpcurl lists this server's services, describes a method and calls it without any proto file", async () => {
  const list = await grpcurl(["-plaintext", address, "list"]);
  expect(list.status).toBe(0);
  const names = list.out.trim().split("\n");
  expect(names).toEqual(
    expect.arrayContaining(["identity.auth.v1.AuthService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]),
  );
  expect(names).not.toContain("identity.profile.v1.ProfileService");

  const describe = await grpcurl(["-plaintext", address, "describe", "identity.auth.v1.AuthService.Login"]);
  expect(describe.status).toBe(0);
  expect(describe.out).toMatch(
    /rpc Login \( \.identity\.auth\.v1\.LoginRequest \) returns \( \.identity\.auth\.v1\.TokenPair \)|rpc Login \(/,
  );
  const message = await grpcurl(["-plaintext", address, "describe", "identity.auth.v1.LoginRequest"]);
  expect(message.out).toMatch(/string username = 1/);

  await expectUnknownLoginRefused(address);
});

test("through a gateway (its header), list names every service the gateway exposes, not internal ones", async () => {
  expectGatewayView(await listServices(["-plaintext", "-H", "x-identity-reflection: gateway", address]));
  const hidden = await grpcurl([
    "-plaintext",
    "-H",
    "x-identity-reflection: gateway",
    address,
    "describe",
    "identity.profile.v1.UserLookupService",
  ]);
  expect(hidden.status).not.toBe(0);
});

test("the v1alpha protocol answers the same, with each file followed by its imports", async () => {
  async function* ask() {
    yield create(v1alpha.ServerReflectionRequestSchema, { messageRequest: { case: "listServices", value: "" } });
    yield create(v1alpha.ServerReflectionRequestSchema, {
      messageRequest: { case: "fileContainingSymbol", value: "identity.auth.v1.AuthService" },
    });
    yield create(v1alpha.ServerReflectionRequestSchema, { messageRequest: { case: "fileByFilename", value: "no/such.proto" } });
  }
  const answers = [];
  for await (const answer of harness.grpcClient(v1alpha.ServerReflection).serverReflectionInfo(ask())) answers.push(answer);
  const [list, file, missing] = answers;
  expect(list?.messageResponse.case).toBe("listServicesResponse");
  expect(list?.messageResponse.case === "listServicesResponse" && list.messageResponse.value.service.map((s) => s.name)).toContain(
    "identity.auth.v1.AuthService",
  );
  if (file?.messageResponse.case !== "fileDescriptorResponse") throw new Error("no file");
  const files = file.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name);
  expect(files[0]).toMatch(/^identity\/auth\/v1\/.+\.proto$/);
  expect(files).toEqual(expect.arrayContaining(["google/api/annotations.proto", "buf/validate/validate.proto"]));
  expect(missing?.messageResponse).toMatchObject({ case: "errorResponse", value: { errorCode: 5 } });
});
