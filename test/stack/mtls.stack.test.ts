// Mutual TLS on the services' RPC ports of the running stack: the allowed client certificate (Envoy's, the
// only name in the stack's TLS_ALLOWED_PEER_SANS) gets a gRPC health answer; no certificate, another CA, the
// right CA with another name and an expired certificate are each refused before the service answers anything.
// Each case is seen twice: a raw TLS connection (what the handshake did, how many bytes came back) and a real
// @grpc/grpc-js client (the status it reports).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { Health, HealthCheckResponse_ServingStatus } from "@identity/proto/grpc/health/v1/health_pb.js";
import { jest } from "@jest/globals";
import { type ClientCertName, clientCert } from "./support/certificates.ts";
import { callUnary, grpcClient } from "./support/grpc-js-client.ts";
import { eventually, requireStack, rpcPort, type ServiceName, serverName, stackLogDir } from "./support/stack.ts";
import { probeTls } from "./support/tls-probe.ts";

jest.setTimeout(60_000);

beforeAll(() => requireStack());

const services: ServiceName[] = ["profile", "auth", "friendship"];
const clients: grpc.Client[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});

function healthClient(service: ServiceName, cert: ClientCertName | "none") {
  const client = grpcClient(Health, {
    address: `127.0.0.1:${rpcPort(service)}`,
    serverName: serverName(service),
    client: cert === "none" ? undefined : clientCert(cert),
  });
  clients.push(client);
  return client;
}

describe.each(services)("%s (replica 1): mutual TLS on the RPC port", (service) => {
  test("Envoy's certificate: the TLS session is up and a grpc-js health check answers SERVING", async () => {
    const probe = await probeTls(rpcPort(service), serverName(service), clientCert("envoy"));
    expect(probe).toMatchObject({ handshakeCompleted: true, ending: "answered", errorCode: undefined });
    expect(probe.applicationBytes).toBeGreaterThan(0);

    const answer = await callUnary(healthClient(service, "envoy"), Health.method.check, { service: "" });
    expect(answer.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  // The TLS 1.3 client finishes its side of the handshake before the server has judged its certificate, so
  // the refusal shows as an alert (no certificate) or a close (the rest) right after, before any HTTP/2 byte.
  const refusals: Array<{ cert: ClientCertName | "none"; why: string; errorCodes: Array<string | undefined> }> = [
    { cert: "none", why: "no client certificate", errorCodes: ["ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"] },
    { cert: "foreign", why: "a certificate from another CA", errorCodes: [undefined, "ECONNRESET"] },
    { cert: "intruder", why: "the right CA, SAN intruder.identity.internal", errorCodes: [undefined, "ECONNRESET"] },
    { cert: "expired", why: "the right CA and names, expired", errorCodes: [undefined, "ECONNRESET"] },
  ];
  test.each(refusals)("$why: refused, the service never answers (raw TLS and grpc-js UNAVAILABLE)", async ({ cert, errorCodes }) => {
    const probe = await probeTls(rpcPort(service), serverName(service), cert === "none" ? undefined : clientCert(cert));
    expect(probe.ending).toBe("closed by the service");
    expect(probe.applicationBytes).toBe(0);
    expect(errorCodes).toContain(probe.errorCode);

    const error = (await callUnary(healthClient(service, cert), Health.method.check, { service: "" }).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    )) as grpc.ServiceError | undefined;
    expect(error?.code).toBe(GrpcStatus.UNAVAILABLE);
  });
});

test("the service logs why it dropped a certificate of the right CA with a name it does not allow", async () => {
  const log = join(stackLogDir, "profile-1.log");
  const refusalsLogged = () =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter((l) => l.includes("mTLS peer refused")).length;
  const before = refusalsLogged();
  await probeTls(rpcPort("profile"), serverName("profile"), clientCert("intruder"));
  await eventually(
    "a new 'mTLS peer refused' line in .data/stack/profile-1.log",
    async () => (refusalsLogged() > before ? true : undefined),
    5000,
  );
});
