// The request handler of one service: its Connect services (gRPC, gRPC-Web and Connect protocols) behind the
// platform's interceptors, the gRPC health service, and the module's plain HTTP routes. Hosted on its own
// port by serveService(), or mounted by the embedded gateway.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { TLSSocket } from "node:tls";
import { createContextValues, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { AccessTokenVerifier } from "../auth/access-token-verifier.ts";
import type { ServiceAuthenticator } from "../auth/auth-interceptor.ts";
import { createAuthInterceptor } from "../auth/auth-interceptor.ts";
import type { Environment } from "../config.ts";
import { replayingRouter } from "../idempotency/replay.ts";
import type { Logger } from "../logger.ts";
import { createErrorInterceptor, retryAfterKey } from "../rpc/error-interceptor.ts";
import { createHttpStatusInterceptor } from "../rpc/http-status.ts";
import { createRequestContextInterceptor, peerAddressKey, peerSansKey } from "../rpc/request-context.ts";
import { createValidationInterceptor } from "../rpc/validation-interceptor.ts";
import type { HttpHandler, ServiceModule } from "../service-module.ts";
import { registerHealth } from "./health.ts";
import { connectionPeerSans } from "./peer-san.ts";
import { registerReflection } from "./reflection.ts";

export interface RpcHandlerOptions {
  logger: Logger;
  environment: Environment;
  verifier: AccessTokenVerifier;
  services?: ServiceAuthenticator;
  /** Interceptors around the platform's own, outermost first, e.g. metrics. */
  interceptors?: Interceptor[];
  /** Interceptors inside the platform's own (after authentication and validation), e.g. idempotency keys. */
  innerInterceptors?: Interceptor[];
  /** What the gRPC health check answers from; by default the module's readiness. */
  checkReady?: () => Promise<void>;
}

export type RequestHandler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

export function createRpcHandler(module: ServiceModule, options: RpcHandlerOptions): RequestHandler {
  const adapter = connectNodeAdapter({
    routes: (router) => {
      module.register(replayingRouter(router));
      registerHealth(router, options.checkReady ?? (() => module.checkReady()));
      // Last: `list` names every service registered before it.
      registerReflection(router, options.environment);
    },
    // Order matters: the host's interceptors (metrics) are outermost, so they see errors as clients do,
    // already mapped; authentication runs before validation, so an unauthenticated request answers 401
    // whatever its body.
    interceptors: [
      ...(options.interceptors ?? []),
      createErrorInterceptor(options.logger),
      createRequestContextInterceptor(options.logger),
      createAuthInterceptor({ verifier: options.verifier, environment: options.environment, services: options.services }),
      createValidationInterceptor(),
      createHttpStatusInterceptor(),
      ...(options.innerInterceptors ?? []),
    ],
    // The spec: unknown request fields are rejected (400), never silently ignored.
    jsonOptions: { ignoreUnknownFields: false },
    // A request body larger than this is refused before it is parsed.
    readMaxBytes: 64 * 1024,
    // No compression of answers: they carry tokens and secrets next to text a client can reflect (BREACH).
    // The gateways compress static files only (gateway/src/envoy/compression.ts).
    acceptCompression: [],
    contextValues: (req) => {
      const socket = req.socket as (typeof req.socket & Partial<TLSSocket>) | undefined;
      // An HTTP/2 request's socket is a proxy made per stream: its session is the connection.
      const connection = "stream" in req ? (req.stream.session ?? socket) : socket;
      const peerSans = socket?.getPeerCertificate && connection ? connectionPeerSans(connection, socket as TLSSocket) : [];
      const values = createContextValues().set(peerAddressKey, socket?.remoteAddress).set(peerSansKey, peerSans);
      contextOf.set(req, values);
      return values;
    },
  });
  const contextOf = new WeakMap<object, ReturnType<typeof createContextValues>>();
  /**
   * A refusal's retry-after also as a response header: the gRPC protocol sends error metadata as trailers,
   * which a transcoding gateway does not turn into REST headers. The headers of an answer without a message
   * are written after the error is known, so the value is there in time.
   */
  const withRetryAfterHeader = (req: object, res: ServerResponse | Http2ServerResponse) => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => unknown;
    (res as { writeHead: (...args: unknown[]) => unknown }).writeHead = (...args: unknown[]) => {
      const retryAfter = contextOf.get(req)?.get(retryAfterKey);
      if (retryAfter && !res.headersSent) res.setHeader("retry-after", retryAfter);
      return writeHead(...args);
    };
  };
  const routes: Record<string, HttpHandler> = module.httpRoutes ?? {};
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = req.method === "GET" ? routes[path] : undefined;
    if (route) return route(req, res);
    withRetryAfterHeader(req, res);
    adapter(req as never, res as never);
  };
}
