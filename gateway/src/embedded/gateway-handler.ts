// The built-in gateway of `npm start`: one node:http handler that answers exactly as Envoy does on :8080
// (gateway/src/envoy/): CORS, per-client rate limits, access-token checks at the edge, REST transcoded
// from the contract's google.api.http bindings, Connect/gRPC-Web/gRPC passed to the owning service,
// documentation, health, the web app; request ids, security headers and one JSON access-log line per
// request. Everything about routes comes from the edge plan (edge-plan.ts, via route-table.ts), the same
// plan Envoy's configuration is rendered from; nothing names an RPC.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Code, type Transport } from "@connectrpc/connect";
import { ErrorReason } from "@identity/proto/error-reasons";
import type { AccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { OPAQUE_MESSAGE } from "@identity/shared/errors.ts";
import type { Logger } from "@identity/shared/logger.ts";
import { clientKey, resolveClientAddress } from "@identity/shared/net/client-address.ts";
import { HTTP_STATUS_HEADER } from "@identity/shared/rpc/http-status.ts";
import { gatewayViewHeader, reflectionServiceNames } from "@identity/shared/server/reflection.ts";
import type { RequestHandler } from "@identity/shared/server/rpc-handler.ts";
import { allowFor } from "../allowed-methods.ts";
import { allowCompression } from "../docs/compression.ts";
import { isDocsPath, serveDocs } from "../docs/docs-site.ts";
import { setSecurityHeaders } from "../docs/security-headers.ts";
import { createWebApp, isApiPath } from "../docs/web-app.ts";
import { edgePlan, type LimitClass, type Owner, type PlannedRoute, reflection } from "../edge-plan.ts";
import { createCors } from "./cors.ts";
import { peerAddressOf } from "./dual-protocol-server.ts";
import { checkAccessToken, needsTokenCheck } from "./edge-auth.ts";
import type { EmbeddedOptions } from "./options.ts";
import { createRateLimiter } from "./rate-limiter.ts";
import { notFoundStatus, sendJson, sendReason, sendRpcError, sendRpcReason, sendStatus } from "./replies.ts";
import { badRequest, callRest, type RestAnswer } from "./rest-call.ts";
import { buildRouteTable, type RestRoute } from "./route-table.ts";
import { gatewayStatus, UNAVAILABLE_MESSAGE } from "./rpc-status.ts";

/** A request body larger than this is refused (413), as the services refuse one (readMaxBytes). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface Backend {
  /** The service's RPC handler (createRpcHandler), for Connect, gRPC-Web and gRPC requests. */
  handler: RequestHandler;
  /** A Connect transport to the same handler, for transcoded REST calls. */
  transport: Transport;
}

export interface GatewayBackends {
  backends: Partial<Record<Owner, Backend>>;
  verifier: AccessTokenVerifier;
  /** Throws when a service, its database or the bus is not ready. */
  checkReady(): Promise<void>;
}

type GatewayOptions = Pick<
  EmbeddedOptions,
  "environment" | "corsAllowedOrigins" | "rateLimits" | "rateLimitTrackedClients" | "upstreamTimeoutMs" | "webDist" | "trustedProxies"
>;

/**
 * The client: the socket peer, or with TRUSTED_PROXY_HOPS / TRUSTED_PROXY_CIDRS the address the trusted
 * proxies in front wrote into X-Forwarded-For, resolved as Envoy resolves it (client-address.ts).
 */
export function clientOf(req: IncomingMessage, trust: EmbeddedOptions["trustedProxies"]): string {
  const forwarded = req.headers["x-forwarded-for"];
  return resolveClientAddress(peerAddressOf(req.socket), Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trust);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Headers a service receives from the gateway: the caller's token and trace context, and the gateway's ids. */
function upstreamHeaders(req: IncomingMessage, requestId: string, client: string): Headers {
  const header = new Headers();
  for (const name of ["authorization", "traceparent", "tracestate", "user-agent", "idempotency-key"]) {
    const value = req.headers[name];
    if (typeof value === "string") header.set(name, value);
  }
  header.set("x-request-id", requestId);
  header.set("x-forwarded-for", client);
  return header;
}

/** `x-http-status` is between the services and the gateway: it never reaches a client. */
function withoutInternalHeaders(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.removeHeader(HTTP_STATUS_HEADER);
  (res as { writeHead: unknown }).writeHead = (status: number, ...rest: unknown[]) => {
    res.removeHeader(HTTP_STATUS_HEADER);
    const headers = rest.find((r) => r !== null && typeof r === "object") as Record<string, unknown> | undefined;
    if (headers && !Array.isArray(headers)) {
      for (const key of Object.keys(headers)) if (key.toLowerCase() === HTTP_STATUS_HEADER) delete headers[key];
    }
    return writeHead(status, ...rest);
  };
}

const reflectionPaths = reflectionServiceNames.map((name) => `/${name}/`);

export function createGatewayHandler(
  options: GatewayOptions,
  backends: GatewayBackends,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const plan = edgePlan(options.environment);
  const table = buildRouteTable(plan);
  const allowed = plan.allowedMethods;
  const cors = createCors(options.corsAllowedOrigins);
  const limiter = createRateLimiter(options.rateLimitTrackedClients);
  const webApp = createWebApp(options.webDist, isApiPath);

  const limited = (
    res: ServerResponse,
    req: IncomingMessage,
    bucket: string,
    limitClass: LimitClass,
    client: string,
    rpc: boolean,
  ): boolean => {
    const decision = limiter.take(`${bucket}|${clientKey(client)}`, options.rateLimits[limitClass]);
    if (decision.allowed) return false;
    const headers = { "retry-after": String(decision.retryAfterSeconds) };
    if (rpc) sendRpcReason(req, res, ErrorReason.RATE_LIMITED, headers);
    else sendReason(res, ErrorReason.RATE_LIMITED, headers);
    return true;
  };

  async function handleRest(
    req: IncomingMessage,
    res: ServerResponse,
    match: { route: RestRoute; params: Record<string, string> },
    url: URL,
    ctx: RequestContext,
  ): Promise<void> {
    const { route, owner } = match.route;
    const backend = backends.backends[owner];
    if (!backend) return sendStatus(res, gatewayStatus(Code.Unavailable, UNAVAILABLE_MESSAGE));
    if (needsTokenCheck(match.route, req)) {
      const failure = await checkAccessToken(req, backends.verifier);
      if (failure) return sendStatus(res, gatewayStatus(Code.Unauthenticated, failure.message, failure.reason));
    }
    let body: string | undefined;
    if (route.rest?.body) {
      try {
        body = await readBody(req, MAX_BODY_BYTES);
      } catch (err) {
        if (err instanceof BodyTooLarge) return sendReason(res, ErrorReason.REQUEST_TOO_LARGE, { connection: "close" });
        throw err;
      }
    }
    const contentType = req.headers["content-type"];
    let answer: RestAnswer;
    if (body && body.trim() !== "" && contentType && !/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
      answer = badRequest("request body must be JSON (content-type application/json)");
    } else {
      answer = await callRest(
        route,
        { pathParams: match.params, query: url.searchParams, body },
        {
          transport: backend.transport,
          header: upstreamHeaders(req, ctx.requestId, ctx.client),
          timeoutMs: options.upstreamTimeoutMs,
          signal: ctx.signal,
        },
      );
    }
    sendJson(res, answer.status, answer.body, { ...answer.headers, "x-request-id": ctx.requestId });
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, route: PlannedRoute, ctx: RequestContext): Promise<void> {
    const backend = backends.backends[route.owner];
    if (!backend) return sendRpcError(req, res, Code.Unavailable, UNAVAILABLE_MESSAGE);
    if (needsTokenCheck(route, req)) {
      const failure = await checkAccessToken(req, backends.verifier);
      if (failure) return sendRpcError(req, res, Code.Unauthenticated, failure.message);
    }
    // The request goes to the service as it came, with the gateway's request id and the real client address.
    req.headers["x-request-id"] = ctx.requestId;
    req.headers["x-forwarded-for"] = ctx.client;
    withoutInternalHeaders(res);
    backend.handler(req, res);
  }

  async function handleReady(res: ServerResponse): Promise<void> {
    try {
      await backends.checkReady();
      sendJson(res, 200, { status: "ready" });
    } catch {
      sendJson(res, 503, { status: "unavailable" });
    }
  }

  interface RequestContext {
    requestId: string;
    client: string;
    signal: AbortSignal;
    route: string;
  }

  async function route(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (cors.answerPreflight(req, res)) {
      ctx.route = "cors preflight";
      return;
    }
    if (path === "/healthz" && (method === "GET" || method === "HEAD")) {
      ctx.route = "healthz";
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end("ok\n");
      return;
    }
    if (path === "/readyz" && (method === "GET" || method === "HEAD")) {
      ctx.route = "readyz";
      return handleReady(res);
    }
    // A literal path with a method it does not have is 405 before any templated route can take it.
    const literal = allowed.find((e) => e.literal && e.matches(path));
    if (literal && !(literal.methods as string[]).includes(method)) {
      ctx.route = "method not allowed";
      return sendReason(res, ErrorReason.METHOD_NOT_ALLOWED, { allow: literal.methods.join(", ") });
    }
    const rest = table.matchRest(method, path);
    if (rest) {
      ctx.route = `rest ${method} ${rest.route.template.template}`;
      if (limited(res, req, ctx.route, rest.route.limitClass, ctx.client, false)) return;
      return handleRest(req, res, rest, url, ctx);
    }
    const rpc = method === "POST" || method === "GET" ? table.matchRpc(path) : undefined;
    if (rpc) {
      ctx.route = `rpc ${rpc.route.rpcPath}`;
      if (limited(res, req, ctx.route, rpc.limitClass, ctx.client, true)) return;
      return handleRpc(req, res, rpc, ctx);
    }
    // gRPC reflection, public: answered by the plan's reflection owner with the gateway's view (every
    // exposed service).
    const reflector = backends.backends[reflection.owner];
    if (method === "POST" && reflectionPaths.some((p) => path.startsWith(p)) && reflector) {
      ctx.route = "grpc reflection";
      if (limited(res, req, "default", reflection.limitClass, ctx.client, true)) return;
      req.headers[gatewayViewHeader] = "gateway";
      withoutInternalHeaders(res);
      return reflector.handler(req, res);
    }
    const allow = allowFor(allowed, path);
    if (allow) {
      ctx.route = "method not allowed";
      return sendReason(res, ErrorReason.METHOD_NOT_ALLOWED, { allow });
    }
    // Everything else under the API, other RPCs (service-to-service, dev tools in prod), gRPC internals.
    if (isApiPath(path)) {
      ctx.route = "not found";
      return sendStatus(res, notFoundStatus());
    }
    ctx.route = isDocsPath(path) ? "docs" : "web";
    if (limited(res, req, "web", "default", ctx.client, false)) return;
    // Static files only: never an API answer (BREACH). Envoy does the same with its compressor.
    allowCompression(res);
    if (await serveDocs(req, res)) return;
    if (await webApp.serve(req, res)) return;
    sendStatus(res, notFoundStatus());
  }

  return (req, res) => {
    const started = performance.now();
    const abort = new AbortController();
    const ctx: RequestContext = { requestId: randomUUID(), client: clientOf(req, options.trustedProxies), signal: abort.signal, route: "" };
    setSecurityHeaders(res, (req.url ?? "/").split("?")[0], "encrypted" in req.socket || "alpnProtocol" in req.socket);
    res.setHeader("x-request-id", ctx.requestId);
    cors.decorate(req, res);
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      logger.info(
        {
          request_id: ctx.requestId,
          client: ctx.client,
          method: req.method,
          // Without the query string: it may carry search terms or page tokens.
          path: (req.url ?? "/").split("?")[0],
          protocol: `HTTP/${req.httpVersion}`,
          status: res.statusCode,
          route: ctx.route,
          duration_ms: Math.round(performance.now() - started),
          completed: res.writableFinished,
          user_agent: req.headers["user-agent"],
        },
        "access",
      );
    };
    res.on("finish", log);
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
      log();
    });
    route(req, res, ctx).catch((err: unknown) => {
      // Never a stack trace to the client: the error goes to the log, the client gets a bare 500.
      logger.error({ err, request_id: ctx.requestId }, "gateway error");
      if (!res.headersSent) sendStatus(res, gatewayStatus(Code.Internal, OPAQUE_MESSAGE));
      else res.destroy();
    });
  };
}
