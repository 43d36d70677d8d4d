// A plain @grpc/grpc-js client (not Connect's) against the running stack: AuthService.Register and Login and
// ProfileService.GetMyProfile through Envoy (h2c on the listener, routed by gRPC path), and GetMyProfile
// directly to a profile replica over mutual TLS with Envoy's client certificate. The service checks the token
// itself, so a direct call without one, or with a refresh token, is refused as well.
import type * as grpc from "@grpc/grpc-js";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { jest } from "@jest/globals";
import { clientCert } from "./support/certificates.ts";
import { callUnary, grpcClient } from "./support/grpc-js-client.ts";
import { PASSWORD, uniqueName } from "./support/rest.ts";
import { gatewayUrl, requireStack, rpcPort, serverName } from "./support/stack.ts";

jest.setTimeout(60_000);

const gatewayAddress = new URL(gatewayUrl).host;
let viaEnvoy: { auth: grpc.Client; profile: grpc.Client };
let directProfile: grpc.Client;
beforeAll(async () => {
  await requireStack();
  viaEnvoy = {
    auth: grpcClient(AuthService, { address: gatewayAddress, plaintext: true }),
    profile: grpcClient(ProfileService, { address: gatewayAddress, plaintext: true }),
  };
  directProfile = grpcClient(ProfileService, {
    address: `127.0.0.1:${rpcPort("profile")}`,
    serverName: serverName("profile"),
    client: clientCert("envoy"),
  });
});
afterAll(() => {
  viaEnvoy?.auth.close();
  viaEnvoy?.profile.close();
  directProfile?.close();
});

const bearer = (token: string) => ({ metadata: { authorization: `Bearer ${token}` } });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: grpc.ServiceError) => e,
  ) as Promise<grpc.ServiceError | undefined>;

describe("grpc-js through Envoy, then directly over mutual TLS", () => {
  const username = uniqueName("grpcjs");
  const email = `${username.toLowerCase()}@example.com`;
  let userId = "";
  let access = "";
  let refresh = "";

  test("Register through Envoy answers the user and a token pair", async () => {
    const answer = await callUnary(viaEnvoy.auth, AuthService.method.register, { username, email, password: PASSWORD, firstName: "Grace" });
    expect(answer.user).toMatchObject({ username, email, emailVerified: false, firstName: "Grace" });
    expect(answer.user?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.access.split(".")).toHaveLength(3);
    userId = answer.user?.id ?? "";
  });

  test("Login through Envoy (by email) answers a new token pair; a wrong password is UNAUTHENTICATED", async () => {
    const answer = await callUnary(viaEnvoy.auth, AuthService.method.login, { username: email, password: PASSWORD });
    expect(answer.access.split(".")).toHaveLength(3);
    expect(answer.refresh.split(".")).toHaveLength(3);
    ({ access, refresh } = answer);
    const wrong = await failure(callUnary(viaEnvoy.auth, AuthService.method.login, { username, password: `${PASSWORD}!` }));
    expect(wrong?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  test("GetMyProfile through Envoy with the authorization metadata; without it Envoy answers UNAUTHENTICATED", async () => {
    const answer = await callUnary(viaEnvoy.profile, ProfileService.method.getMyProfile, {}, bearer(access));
    expect(answer.profile).toMatchObject({ userId, username, displayName: username });
    expect(answer.profile?.createdAt).toBeDefined();
    const anonymous = await failure(callUnary(viaEnvoy.profile, ProfileService.method.getMyProfile, {}));
    expect(anonymous?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  test("GetMyProfile directly to the profile service over mTLS: the same profile; no token or a refresh token is UNAUTHENTICATED", async () => {
    const answer = await callUnary(directProfile, ProfileService.method.getMyProfile, {}, bearer(access));
    expect(answer.profile).toMatchObject({ userId, username });
    const anonymous = await failure(callUnary(directProfile, ProfileService.method.getMyProfile, {}));
    expect(anonymous?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    const wrongKind = await failure(callUnary(directProfile, ProfileService.method.getMyProfile, {}, bearer(refresh)));
    expect(wrongKind?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });
});
