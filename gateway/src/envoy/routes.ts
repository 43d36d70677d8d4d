// The gateway's route table, rendered from the edge plan (edge-plan.ts, which reads the contract): one REST
// route per google.api.http binding and one gRPC/Connect/gRPC-Web route per RPC reachable from outside, each
// with the plan's JWT requirement and rate-limit class. Nothing here names an RPC by hand.
import { ScalarType } from "@bufbuild/protobuf";
import type { ContractRoute } from "@identity/proto/contract";
import { gatewayViewHeader, reflectionServiceNames } from "@identity/shared/server/reflection.ts";
import {
  type EdgePlan,
  edgePlan,
  type LimitClass,
  type Owner,
  type PlannedRoute,
  reflection,
  type TokenRequirement,
} from "../edge-plan.ts";
import { compressionOn } from "./compression.ts";
import { luaFilterName } from "./gateway-lua.ts";
import type { GatewayOptions, RateLimit } from "./options.ts";
import type { FilterDisabled, JwtPerRoute, LocalRateLimit, PerFilterConfig, RetryPolicy, Route } from "./types.ts";

export const clusterOf = (owner: Owner): string => owner;
export const webCluster = "web";
/** Name of the jwt_authn requirement that demands a valid access token. */
export const userRequirement = "access_token";
/** Name of the jwt_authn requirement that lets a request without a token through but refuses a bad one. */
export const optionalUserRequirement = "access_token_if_any";
export const upstreamTimeout = "15s";

const disabled: FilterDisabled = { "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", disabled: true };

/** The jwt_authn requirement of a route: a token, a token if any, or none (filter disabled). */
function jwtConfig(token: TokenRequirement): JwtPerRoute {
  const type = "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig" as const;
  if (token === "required") return { "@type": type, requirement_name: userRequirement };
  if (token === "optional") return { "@type": type, requirement_name: optionalUserRequirement };
  return { "@type": type, disabled: true };
}

/**
 * One bucket per client address (the real peer: use_remote_address with no trusted hops), kept for the
 * `rateLimitTrackedClients` most recent clients. The default bucket is only a ceiling for the route as a
 * whole, 100 times one client's share, so that one client cannot starve the others.
 */
export function rateLimitConfig(name: string, limit: RateLimit, trackedClients: number): LocalRateLimit {
  const bucket = (n: number) => ({ max_tokens: n, tokens_per_fill: n, fill_interval: `${limit.periodSeconds}s` as const });
  return {
    "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
    stat_prefix: `ratelimit_${name}`,
    token_bucket: bucket(limit.requests * 100),
    filter_enabled: { runtime_key: `ratelimit.${name}.enabled`, default_value: { numerator: 100, denominator: "HUNDRED" } },
    filter_enforced: { runtime_key: `ratelimit.${name}.enforced`, default_value: { numerator: 100, denominator: "HUNDRED" } },
    rate_limits: [{ actions: [{ remote_address: {} }] }],
    descriptors: [{ entries: [{ key: "remote_address", value: "" }], token_bucket: bucket(limit.requests) }],
    max_dynamic_descriptors: trackedClients,
    always_consume_default_token_bucket: false,
    enable_x_ratelimit_headers: "DRAFT_VERSION_03",
    rate_limited_as_resource_exhausted: true,
    response_headers_to_add: [
      { header: { key: "retry-after", value: String(limit.periodSeconds) }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
    ],
  };
}

/** `/api/friendships/{id}/` -> `^/api/friendships/[^/]+/$` (query strings are not part of :path matching here). */
export function templateRegex(template: string): string {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith("{")) return part.includes("=**") ? ".+" : "[^/]+";
      return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("");
  return `^${escaped}$`;
}

/** The local_ratelimit of a route of the plan's limit class. */
function limitOf(limitClass: LimitClass, options: GatewayOptions): LocalRateLimit {
  return rateLimitConfig(limitClass, options.rateLimits[limitClass], options.rateLimitTrackedClients);
}

type Field = ContractRoute["method"]["input"]["fields"][number];

/** `,name,jsonName,...,` of the body fields (not bound to the path) that pass `keep`; "" without a `*` body. */
function bodyFieldList(route: ContractRoute, keep: (field: Field) => boolean): string {
  const rest = route.rest;
  if (rest?.body !== "*") return "";
  const inPath = new Set([...rest.path.matchAll(/\{([^}=]+)/g)].map((m) => m[1]));
  const names = route.method.input.fields.filter((f) => !inPath.has(f.name) && keep(f)).flatMap((f) => [f.name, f.jsonName]);
  return `,${[...new Set(names)].join(",")},`;
}

/**
 * The JSON keys a REST body may have, for the Lua filter: Envoy's transcoder silently drops unknown fields,
 * and the contract says they are refused. Proto and JSON names are both accepted; fields bound to the path
 * are not body fields. Empty when the binding takes no body.
 */
export const bodyFields = (route: ContractRoute): string => bodyFieldList(route, () => true);

/** The body fields (both names) that are strings, for the Lua filter's type and text checks. */
export const stringBodyFields = (route: ContractRoute): string =>
  bodyFieldList(route, (f) => f.fieldKind === "scalar" && f.scalar === ScalarType.STRING);

/** Whether the binding reads fields from the body, so that a request without one is refused. */
export const bodyRequired = (route: ContractRoute): boolean => bodyFields(route).replaceAll(",", "") !== "";

/** Conditions under which the request never reached a service: safe to send again whatever the method. */
export const neverArrived = ["connect-failure", "refused-stream", "reset-before-request"];
/**
 * Also for read-only RPCs: a reset after the request was sent, and a replica's UNAVAILABLE answer (draining):
 * `unavailable` for gRPC and the transcoded REST routes (grpc-status), status 503 for the Connect protocol.
 */
export const readOnlyToo = ["reset", "unavailable", "retriable-status-codes"];

/**
 * Retries go to another replica (previous_hosts), after a short jittered back-off; the cluster's retry budget
 * bounds them overall. Writes are retried only when the service never saw them; a write that may have been
 * applied is the client's to retry, with an Idempotency-Key.
 */
export function retryPolicy(route: ContractRoute): RetryPolicy {
  return {
    retry_on: [...neverArrived, ...(route.readOnly ? readOnlyToo : [])].join(","),
    ...(route.readOnly ? { retriable_status_codes: [503] } : {}),
    num_retries: 2,
    retry_back_off: { base_interval: "0.025s", max_interval: "0.25s" },
    retry_host_predicate: [
      {
        name: "envoy.retry_host_predicates.previous_hosts",
        typed_config: { "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate" },
      },
    ],
    host_selection_retry_max_attempts: 3,
  };
}

function restRoute(planned: PlannedRoute, options: GatewayOptions): Route {
  const { route } = planned;
  const rest = route.rest;
  if (!rest) throw new Error(`${route.rpcPath} has no REST binding`);
  const variable = rest.path.includes("{");
  return {
    name: `rest ${rest.verb} ${rest.path}`,
    match: {
      ...(variable ? { safe_regex: { regex: templateRegex(rest.path) } } : { path: rest.path }),
      headers: [{ name: ":method", string_match: { exact: rest.verb } }],
    },
    route: { cluster: clusterOf(planned.owner), timeout: upstreamTimeout, retry_policy: retryPolicy(route) },
    metadata: {
      filter_metadata: {
        [luaFilterName]: {
          rest: true,
          response_body: rest.responseBody,
          body_fields: bodyFields(route),
          string_fields: stringBodyFields(route),
          body_required: bodyRequired(route),
        },
      },
    },
    typed_per_filter_config: {
      "envoy.filters.http.jwt_authn": jwtConfig(planned.token),
      "envoy.filters.http.local_ratelimit": limitOf(planned.limitClass, options),
    },
  };
}

function rpcRoute(planned: PlannedRoute, options: GatewayOptions): Route {
  const { route } = planned;
  return {
    name: `rpc ${route.rpcPath}`,
    match: { path: route.rpcPath },
    route: { cluster: clusterOf(planned.owner), timeout: upstreamTimeout, retry_policy: retryPolicy(route) },
    typed_per_filter_config: {
      "envoy.filters.http.jwt_authn": jwtConfig(planned.token),
      "envoy.filters.http.local_ratelimit": limitOf(planned.limitClass, options),
      // gRPC, gRPC-Web and Connect reach the service as they are; Connect's JSON must not be transcoded.
      "envoy.filters.http.grpc_json_transcoder": disabled,
    },
  };
}

/**
 * gRPC server reflection (v1, v1alpha), public like the OpenAPI document: answered by the plan's reflection
 * owner, which lists what the gateway exposes when the gateway says it is asking (gatewayViewHeader, set here
 * whatever the client sent).
 */
function reflectionRoute(service: string, options: GatewayOptions): Route {
  return {
    name: `grpc reflection ${service}`,
    match: { prefix: `/${service}/` },
    route: { cluster: clusterOf(reflection.owner), timeout: upstreamTimeout },
    request_headers_to_add: [{ header: { key: gatewayViewHeader, value: "gateway" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" }],
    typed_per_filter_config: {
      "envoy.filters.http.jwt_authn": jwtConfig("none"),
      "envoy.filters.http.local_ratelimit": limitOf(reflection.limitClass, options),
      "envoy.filters.http.grpc_json_transcoder": disabled,
    },
  };
}

/** Routes that neither need a token nor reach a service: answered by Envoy or by the web server. */
const openRoute: PerFilterConfig = {
  "envoy.filters.http.jwt_authn": jwtConfig("none"),
  "envoy.filters.http.grpc_json_transcoder": disabled,
};

function notFound(name: string, prefix: string): Route {
  return {
    name,
    match: { prefix },
    // The body is the local reply mapper's (render.ts): the same google.rpc.Status JSON as every error.
    direct_response: { status: 404 },
    typed_per_filter_config: { ...openRoute, "envoy.filters.http.local_ratelimit": disabled },
  };
}

function webRoute(options: GatewayOptions, match: Route["match"]): Route {
  return {
    name: match.path !== undefined ? `web ${match.path}` : `web ${match.prefix}*`,
    match,
    route: { cluster: webCluster, timeout: upstreamTimeout },
    typed_per_filter_config: {
      ...openRoute,
      ...compressionOn,
      "envoy.filters.http.local_ratelimit": limitOf("default", options),
    },
  };
}

/** After every REST route: a known path with a method it does not have is 405 with `Allow` (allowed-methods.ts). */
function methodNotAllowedRoutes(plan: EdgePlan, literal: boolean): Route[] {
  return plan.allowedMethods
    .filter((e) => e.literal === literal)
    .map(({ template, methods }) => ({
      name: `405 ${template}`,
      match: template.includes("{") ? { safe_regex: { regex: templateRegex(template) } } : { path: template },
      // The body is the local reply mapper's (render.ts), like every error of Envoy's own.
      direct_response: { status: 405 },
      response_headers_to_add: [{ header: { key: "allow", value: methods.join(", ") }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" }],
      typed_per_filter_config: { ...openRoute, "envoy.filters.http.local_ratelimit": disabled },
    }));
}

export function buildRoutes(options: GatewayOptions): Route[] {
  const plan = edgePlan(options.environment);
  const exposed = plan.routes;
  return [
    {
      name: "healthz",
      match: { path: "/healthz" },
      direct_response: { status: 200, body: { inline_string: "ok\n" } },
      typed_per_filter_config: { ...openRoute, "envoy.filters.http.local_ratelimit": disabled },
    },
    // CORS preflights: the CORS filter answers them, but only on a route that forwards somewhere (it finds
    // no policy on a direct response), and the REST routes match on their own verb. So one route takes every
    // preflight; one from an origin that is not allowed goes on to the web server, without CORS headers.
    {
      name: "cors preflight",
      match: {
        prefix: "/",
        headers: [
          { name: ":method", string_match: { exact: "OPTIONS" } },
          { name: "access-control-request-method", present_match: true },
        ],
      },
      route: { cluster: webCluster, timeout: upstreamTimeout },
      typed_per_filter_config: {
        ...openRoute,
        "envoy.filters.http.local_ratelimit": limitOf("default", options),
      },
    },
    // Literal REST paths before templated ones, so `/api/friendships/received/` is never an `{id}`.
    ...exposed.filter(({ route: r }) => r.rest && !r.rest.path.includes("{")).map((r) => restRoute(r, options)),
    // A literal path's other methods are 405 before a templated route could take the path for a variable.
    ...methodNotAllowedRoutes(plan, true),
    ...exposed.filter(({ route: r }) => r.rest?.path.includes("{")).map((r) => restRoute(r, options)),
    ...exposed.map((r) => rpcRoute(r, options)),
    ...methodNotAllowedRoutes(plan, false),
    ...reflectionServiceNames.map((service) => reflectionRoute(service, options)),
    // Everything else under the API, every other RPC (internal services, dev tools in prod) and the
    // services' own health: not reachable from outside.
    notFound("no other api", "/api/"),
    notFound("no other rpc", "/identity."),
    notFound("no grpc internals", "/grpc."),
    webRoute(options, { path: "/" }),
    webRoute(options, { prefix: "/swagger/" }),
    webRoute(options, { prefix: "/redoc/" }),
    webRoute(options, { path: "/openapi.json" }),
    webRoute(options, { prefix: "/assets/" }),
    // The web app's own client-side routes (/login, /friends...) are served its index by the web server.
    webRoute(options, { prefix: "/" }),
  ];
}
