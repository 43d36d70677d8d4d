// A stand-in for one platform service, for the gateway's own tests: the same transport as the real ones
// (HTTP/2 over TLS, a client certificate from the platform CA required, gRPC/Connect via connect-node, gRPC
// health, plain JSON JWKS on the RPC port), with canned answers that echo what the gateway delivered.
// The real services replace it in the end-to-end suites.
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { create, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { type Owner, services } from "@identity/proto/contract";

export interface StubCall {
  rpcPath: string;
  authorization: string | undefined;
  requestId: string | undefined;
  forwardedFor: string | undefined;
  /** Names of x-envoy-* request headers that reached the service. */
  envoyHeaders: string[];
  request: unknown;
}

export interface StubService {
  port: number;
  calls: StubCall[];
  close(): Promise<void>;
}

export interface StubOptions {
  owner: Owner;
  /** Key and certificate to serve with (e.g. `${certsDir}/auth`): the refusal tests serve wrong ones. */
  certBase: string;
  ca: string;
  jwks?: unknown;
  port?: number;
}

/** Success statuses the real services ask for with `x-http-status`. */
const httpStatus: Record<string, string> = { Register: "201", ResendVerificationCode: "202", CreateFriendRequest: "201" };

/** A friendship id the stub answers with FAILED_PRECONDITION (the other action on a decided request). */
export const decidedFriendshipId = "0190b5a0-0000-7000-8000-00000000d0d0";

function answer(method: DescMethod, request: Record<string, unknown>, ctx: HandlerContext) {
  if (method.name === "RespondToFriendRequest" && request.id === decidedFriendshipId) {
    throw new ConnectError("the request was already decided", Code.FailedPrecondition);
  }
  const status = httpStatus[method.name];
  if (status) ctx.responseHeader.set("x-http-status", status);
  const id = typeof request.id === "string" ? request.id : "0190b5a0-0000-7000-8000-000000000001";
  const friendship = { id, status: request.action === "reject" ? "rejected" : "requested" };
  const byName: Record<string, Record<string, unknown>> = {
    Register: { access: "a", refresh: "r", user: { username: request.username ?? "", email: request.email ?? "" } },
    CreateFriendRequest: { friendship },
    RespondToFriendRequest: { friendship: { ...friendship, status: request.action === "accept" ? "accepted" : "rejected" } },
    GetMyProfile: { profile: { username: "stub", bio: "" } },
  };
  // biome-ignore lint/suspicious/noExplicitAny: canned init values for whichever output message this is
  return create(method.output, (byName[method.name] ?? {}) as any);
}

function routesOf(owner: Owner, calls: StubCall[]) {
  return (router: ConnectRouter) => {
    for (const { service } of services.filter((s) => s.owner === owner)) {
      for (const method of (service as DescService).methods) {
        router.rpc(method as DescMethod & { methodKind: "unary" }, async (request: object, ctx: HandlerContext) => {
          const headers = ctx.requestHeader;
          calls.push({
            rpcPath: `/${service.typeName}/${method.name}`,
            authorization: headers.get("authorization") ?? undefined,
            requestId: headers.get("x-request-id") ?? undefined,
            forwardedFor: headers.get("x-forwarded-for") ?? undefined,
            envoyHeaders: [...headers.keys()].filter((k) => k.startsWith("x-envoy-")),
            request,
          });
          return answer(method, request as Record<string, unknown>, ctx);
        });
      }
    }
  };
}

/** grpc.health.v1.HealthCheckResponse{status: SERVING}, framed: no compression, length 2, field 1 = 1. */
const servingFrame = Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]);

export async function startStubService(options: StubOptions): Promise<StubService> {
  const calls: StubCall[] = [];
  const connect = connectNodeAdapter({ routes: routesOf(options.owner, calls), acceptCompression: [] });
  const server = http2.createSecureServer(
    {
      key: readFileSync(`${options.certBase}.key`),
      cert: readFileSync(`${options.certBase}.crt`),
      ca: readFileSync(options.ca),
      requestCert: true,
      rejectUnauthorized: true,
      allowHTTP1: true,
      minVersion: "TLSv1.3",
    },
    (req, res) => {
      const san = (req.socket as TLSSocket).getPeerCertificate().subjectaltname;
      if (san !== "DNS:envoy.identity.internal") {
        res.writeHead(403).end();
        return;
      }
      if (req.url === "/grpc.health.v1.Health/Check") {
        res.writeHead(200, { "content-type": "application/grpc" });
        res.addTrailers({ "grpc-status": "0" });
        res.end(servingFrame);
        return;
      }
      if (req.url === "/.well-known/jwks.json" && options.jwks) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(options.jwks));
        return;
      }
      connect(req, res);
    },
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Envoy keeps HTTP/2 connections open: end them so close() returns.
        for (const session of sessions) session.destroy();
      }),
  };
}
