// The edge plan: what happens at the edge, decided once here and rendered by both gateways (Envoy's
// configuration by envoy/, the built-in gateway of `npm start` by embedded/). From the contract
// (proto/src/contract.ts): the service processes and the proto services each owns, which RPCs are reachable
// from outside, each route's token requirement and rate-limit class, the 405 answers of known paths. Besides:
// where an error's HTTP status differs from the usual one of its gRPC code, which service answers gRPC
// reflection, and the CORS headers. How each gateway enforces it is its own business; what it enforces is not.
import { Code } from "@connectrpc/connect";
import { type ContractRoute, routes as contractRoutes, isExposed, type Owner, owners, services } from "@identity/proto/contract";
import { ErrorReason, reasonFacts } from "@identity/proto/error-reasons";
import { httpStatusOfCode } from "@identity/proto/http-status";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import type { Environment } from "@identity/shared/config.ts";
import { allowedMethodsByPath, type PathMethods } from "./allowed-methods.ts";

/** The service processes, from the contract's table of services: the gateways' clusters and backends. */
export { type Owner, owners };

/** Which rate limit applies (`RATE_LIMIT_AUTH_*` or `RATE_LIMIT_DEFAULT_*`, edge-policy.ts). */
export type LimitClass = "auth" | "default";

/** What the edge asks of the Authorization header before the request reaches a service (which checks again). */
export type TokenRequirement = "required" | "optional" | "none";

export interface PlannedRoute {
  route: ContractRoute;
  /** The service process the request goes to. */
  owner: Owner;
  limitClass: LimitClass;
  token: TokenRequirement;
}

export interface EdgePlan {
  environment: Environment;
  /** Every service process, in contract order, with the proto services it owns. */
  owners: ReadonlyArray<{ owner: Owner; services: readonly string[] }>;
  /** The contract's RPCs reachable from outside in this environment, in contract order. */
  routes: readonly PlannedRoute[];
  /** The proto services with at least one reachable RPC (what the transcoder serves), in contract order. */
  exposedServices: readonly string[];
  /** Per REST path template, the verbs it answers: any other verb is 405 with `Allow` (allowed-methods.ts). */
  allowedMethods: readonly PathMethods[];
}

/**
 * AuthService (register, login, refresh, password reset...) is where credentials are guessed: the stricter
 * limit. Every other RPC, the web app, the docs and reflection have the default one.
 */
export function limitClassOf(route: Pick<ContractRoute, "service">): LimitClass {
  return route.service.typeName === AuthService.typeName ? "auth" : "default";
}

/** ACCESS_USER needs a valid token; ACCESS_USER_OPTIONAL refuses a bad one but lets none through. */
export function tokenRequirementOf(route: Pick<ContractRoute, "access">): TokenRequirement {
  if (route.access === "user") return "required";
  if (route.access === "user_optional") return "optional";
  return "none";
}

export function edgePlan(environment: Environment, routes: readonly ContractRoute[] = contractRoutes): EdgePlan {
  const exposed = routes.filter((r) => isExposed(r, environment));
  const exposedNames = new Set(exposed.map((r) => r.service.typeName));
  return {
    environment,
    owners: owners.map((owner) => ({
      owner,
      services: services.filter((s) => s.owner === owner).map((s) => s.service.typeName),
    })),
    routes: exposed.map((route) => ({ route, owner: route.owner, limitClass: limitClassOf(route), token: tokenRequirementOf(route) })),
    exposedServices: services.map((s) => s.service.typeName).filter((name) => exposedNames.has(name)),
    allowedMethods: allowedMethodsByPath(exposed),
  };
}

/**
 * gRPC server reflection is public, like the OpenAPI document: one service answers it for the whole gateway
 * (it lists what the gateway exposes when the gateway says it is asking), under the default limit.
 */
export const reflection: { owner: Owner; limitClass: LimitClass } = { owner: "auth", limitClass: "default" };

/** The HTTP status of a gRPC code as Envoy's gRPC-JSON transcoder answers it (Envoy's grpcToHttpStatus). */
const transcodedStatusByCode: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

export const transcodedStatusOf = (code: Code): number => transcodedStatusByCode[code] ?? 500;

/**
 * Where the contract's status (the spec answers FAILED_PRECONDITION, a conflict with the resource's state,
 * with 409) is not the transcoder's (400): Envoy's Lua filter rewrites those from the google.rpc.Status code.
 * Derived, so that the contract's table stays the one place a status is decided.
 */
export const statusOverrides: ReadonlyArray<{ code: Code; status: number }> = (Object.keys(transcodedStatusByCode).map(Number) as Code[])
  .filter((code) => httpStatusOfCode(code) !== transcodedStatusOf(code))
  .map((code) => ({ code, status: httpStatusOfCode(code) }));

/** The HTTP status of a REST error with this gRPC code, through either gateway: the contract's. */
export const httpStatusOf = (code: Code): number => httpStatusOfCode(code);

/**
 * Refusals of the gateways at the HTTP level, answered with HTTP's own status rather than their code's:
 * REQUEST_TOO_LARGE is INVALID_ARGUMENT (400) yet 413, METHOD_NOT_ALLOWED is UNIMPLEMENTED (501) yet 405.
 */
const httpRefusalStatus: Partial<Record<ErrorReason, number>> = {
  [ErrorReason.REQUEST_TOO_LARGE]: 413,
  [ErrorReason.METHOD_NOT_ALLOWED]: 405,
};

/** The HTTP status of a refusal with one of the contract's reasons, through either gateway. */
export const httpStatusOfReason = (reason: ErrorReason): number =>
  httpRefusalStatus[reason] ?? httpStatusOf(reasonFacts(reason).code as number as Code);

/**
 * CORS beyond the allow-list of origins (CORS_ALLOWED_ORIGINS, edge-policy.ts): what a browser may send and
 * read. Bearer tokens, not cookies: credentials are never allowed cross-origin.
 */
export const cors = {
  allowMethods: "GET, POST, PUT, PATCH, DELETE, OPTIONS",
  allowHeaders:
    "authorization, content-type, connect-protocol-version, connect-timeout-ms, x-grpc-web, x-user-agent, grpc-timeout, x-request-id, idempotency-key",
  exposeHeaders:
    "grpc-status, grpc-message, grpc-status-details-bin, x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset",
  maxAgeSeconds: 600,
} as const;
