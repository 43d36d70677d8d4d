// Builds Envoy's bootstrap configuration from the edge plan (edge-plan.ts) and a GatewayOptions. Pure: no files, no
// environment (main.ts does those). The choices follow Envoy's "Configuring Envoy as an edge proxy" page;
// docs/gateway.md says why each filter is there.

import { reasonFacts } from "@identity/proto/error-reasons";
import { ERROR_DOMAIN, ErrorReason } from "@identity/shared/errors.ts";
import { notFoundStatus } from "../docs/not-found.ts";
import { securityHeaders, strictTransportSecurity } from "../docs/security-headers.ts";
import { cors, edgePlan, httpStatusOf, httpStatusOfReason, owners } from "../edge-plan.ts";
import { buildClusters } from "./clusters.ts";
import { compressionFilters } from "./compression.ts";
import { dynamicMetadataNamespace, gatewayLua, luaFilterName } from "./gateway-lua.ts";
import type { GatewayOptions } from "./options.ts";
import { buildRoutes, optionalUserRequirement, userRequirement } from "./routes.ts";
import type { AccessLog, Bootstrap, HttpConnectionManager, HttpFilter, JwtAuthentication, Listener, LocalReplyConfig } from "./types.ts";

const ext = "type.googleapis.com/envoy.extensions";
export const jwtProviderName = "identity";

/** Services the transcoder serves: those with at least one RPC reachable from outside, in contract order. */
export function transcodedServices(options: Pick<GatewayOptions, "environment">): string[] {
  return [...edgePlan(options.environment).exposedServices];
}

const accessLog: AccessLog = {
  name: "envoy.access_loggers.stdout",
  typed_config: {
    "@type": `${ext}.access_loggers.stream.v3.StdoutAccessLog`,
    log_format: {
      json_format: {
        time: "%START_TIME%",
        request_id: "%REQ(X-REQUEST-ID)%",
        client: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
        method: "%REQ(:METHOD)%",
        // Without the query string: it may carry search terms or page tokens.
        path: "%PATH(NQ:ORIG_OR_PATH)%",
        protocol: "%PROTOCOL%",
        status: "%RESPONSE_CODE%",
        grpc_status: "%GRPC_STATUS(NUMBER)%",
        flags: "%RESPONSE_FLAGS%",
        details: "%RESPONSE_CODE_DETAILS%",
        route: "%ROUTE_NAME%",
        upstream: "%UPSTREAM_HOST%",
        duration_ms: "%DURATION%",
        bytes_in: "%BYTES_RECEIVED%",
        bytes_out: "%BYTES_SENT%",
        user_agent: "%REQ(USER-AGENT)%",
      },
    },
  },
};

/**
 * Envoy's own answers (missing or bad token, rate limited, no route) get the same JSON error shape as the
 * services' (google.rpc.Status). A 403 from Envoy can only come from jwt_authn (a token for another
 * audience): it is a bad token, so 401 like any other.
 */
function localReplies(): LocalReplyConfig {
  const when = (status: number) => ({
    status_code_filter: { comparison: { op: "EQ" as const, value: { default_value: status, runtime_key: `local_reply.${status}` } } },
  });
  const status = (code: number, message: string, reason?: string) => ({
    json_format: {
      code,
      message,
      details: reason ? [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: ERROR_DOMAIN }] : [],
    },
    content_type: "application/json",
  });
  // The services' and the embedded gateway's words: no Authorization header at all is NOT_AUTHENTICATED,
  // anything else that fails is TOKEN_NOT_VALID.
  const byReason = (reason: ErrorReason) => {
    const facts = reasonFacts(reason);
    return status(facts.code, facts.message, facts.name);
  };
  const notFound = notFoundStatus();
  // A refusal of the gateway's own at its HTTP status (the edge plan's): the contract's words.
  const refusal = (reason: ErrorReason) => ({ filter: when(httpStatusOfReason(reason)), body_format_override: byReason(reason) });
  const noCredentials = byReason(ErrorReason.NOT_AUTHENTICATED);
  const badToken = byReason(ErrorReason.TOKEN_NOT_VALID);
  const withoutAuthorization = { header_filter: { header: { name: "authorization", present_match: false } } };
  return {
    mappers: [
      { filter: { and_filter: { filters: [when(401), withoutAuthorization] } }, body_format_override: noCredentials },
      { filter: when(401), body_format_override: badToken },
      { filter: when(403), status_code: 401, body_format_override: badToken },
      refusal(ErrorReason.RATE_LIMITED),
      { filter: when(httpStatusOf(notFound.code)), body_format_override: status(notFound.code, notFound.message) },
      refusal(ErrorReason.METHOD_NOT_ALLOWED),
      // A body over the buffer limit: JSON like every other answer (Envoy's own is text), as the embedded
      // gateway answers it.
      refusal(ErrorReason.REQUEST_TOO_LARGE),
      // The transcoder's own refusals (malformed JSON, unknown query parameter) carry its message; the Lua
      // filter's refusals of unknown body fields are already google.rpc.Status JSON and are left alone.
      {
        filter: {
          and_filter: {
            filters: [
              when(400),
              {
                metadata_filter: {
                  matcher: { filter: dynamicMetadataNamespace, path: [{ key: "final_body" }], value: { bool_match: false } },
                  match_if_key_not_found: true,
                },
              },
            ],
          },
        },
        body_format_override: status(3, "%LOCAL_REPLY_BODY%"),
      },
    ],
  };
}

function jwtAuthn(options: GatewayOptions): JwtAuthentication {
  const auth = options.services.auth;
  return {
    "@type": `${ext}.filters.http.jwt_authn.v3.JwtAuthentication`,
    providers: {
      [jwtProviderName]: {
        issuer: options.jwt.issuer,
        audiences: options.jwt.audiences,
        from_headers: [{ name: "Authorization", value_prefix: "Bearer " }],
        from_params: [],
        // The services verify the token again (and its token_type): defence in depth, and they need the claims.
        forward: true,
        clock_skew_seconds: 30,
        remote_jwks: {
          http_uri: { uri: `https://${auth.san}/.well-known/jwks.json`, cluster: "auth", timeout: "5s" },
          cache_duration: `${options.jwt.jwksCacheSeconds}s`,
          async_fetch: { fast_listener: false, failed_refetch_duration: "10s" },
          retry_policy: { num_retries: 3, retry_back_off: { base_interval: "0.5s", max_interval: "5s" } },
        },
      },
    },
    requirement_map: {
      [userRequirement]: { provider_name: jwtProviderName },
      // No Authorization header passes (the service sees no caller); a bad token is refused like anywhere.
      [optionalUserRequirement]: { requires_any: { requirements: [{ provider_name: jwtProviderName }, { allow_missing: {} }] } },
    },
    // Every route the renderer makes says what it needs; a route that did not would still require a token.
    rules: [{ match: { prefix: "/" }, requires: { provider_name: jwtProviderName } }],
  };
}

function httpFilters(options: GatewayOptions): HttpFilter[] {
  return [
    {
      // /readyz: 200 while every service has at least one healthy replica (Envoy's active gRPC health checks).
      name: "envoy.filters.http.health_check",
      typed_config: {
        "@type": `${ext}.filters.http.health_check.v3.HealthCheck`,
        pass_through_mode: false,
        headers: [{ name: ":path", string_match: { exact: "/readyz" } }],
        cluster_min_healthy_percentages: Object.fromEntries(owners.map((o) => [o, { value: 1 }])),
      },
    },
    { name: "envoy.filters.http.cors", typed_config: { "@type": `${ext}.filters.http.cors.v3.Cors` } },
    // Before jwt_authn: a flood of bad tokens is turned away before any signature is checked.
    {
      name: "envoy.filters.http.local_ratelimit",
      typed_config: { "@type": `${ext}.filters.http.local_ratelimit.v3.LocalRateLimit`, stat_prefix: "ratelimit" },
    },
    { name: "envoy.filters.http.jwt_authn", typed_config: jwtAuthn(options) },
    // Before the transcoder: it sees the REST request before transcoding and the JSON answer after.
    // Its path rewrite must keep the REST route (not re-route on the slash-less path, which only the
    // transcoder knows): hence clear_route_cache false.
    {
      name: luaFilterName,
      typed_config: {
        "@type": `${ext}.filters.http.lua.v3.Lua`,
        default_source_code: { inline_string: gatewayLua },
        clear_route_cache: false,
      },
    },
    {
      name: "envoy.filters.http.grpc_json_transcoder",
      typed_config: {
        "@type": `${ext}.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder`,
        proto_descriptor: options.transcoderDescriptor,
        services: transcodedServices(options),
        print_options: {
          add_whitespace: false,
          always_print_primitive_fields: true,
          always_print_enums_as_ints: false,
          preserve_proto_field_names: true,
        },
        convert_grpc_status: true,
        // Keep the REST route (its cluster, JWT and rate limit) rather than re-routing on the gRPC path.
        match_incoming_request_route: true,
        request_validation_options: { reject_unknown_method: true, reject_unknown_query_parameters: true },
      },
    },
    { name: "envoy.filters.http.grpc_web", typed_config: { "@type": `${ext}.filters.http.grpc_web.v3.GrpcWeb` } },
    // Off here; on only for the web app's and the docs' routes (compression.ts: never an answer with a token).
    ...compressionFilters(),
    { name: "envoy.filters.http.router", typed_config: { "@type": `${ext}.filters.http.router.v3.Router`, suppress_envoy_headers: true } },
  ];
}

/**
 * Which address is the client's (rate limits, the access log, and the `x-forwarded-for` the services get):
 * - no trusted proxy: the edge: the socket peer, and a client's own X-Forwarded-For is dropped before
 *   anything reads it;
 * - TRUSTED_PROXY_HOPS=N: Envoy's xff_num_trusted_hops: the N-th X-Forwarded-For entry from the right;
 * - TRUSTED_PROXY_CIDRS: the XFF original-IP detection: from a trusted proxy, the right-most entry that is
 *   not a trusted proxy (it cannot be combined with use_remote_address).
 * The embedded gateway resolves it the same way (services/shared/src/net/client-address.ts).
 */
type ClientAddressDetection = Pick<
  HttpConnectionManager,
  "use_remote_address" | "xff_num_trusted_hops" | "original_ip_detection_extensions" | "early_header_mutation_extensions"
>;

function clientAddressDetection(trust: GatewayOptions["trustedProxies"]): ClientAddressDetection {
  if (trust.cidrs.length > 0) {
    const cidrs = trust.cidrs.map((c) => {
      const [address = "", bits] = c.split("/");
      return { address_prefix: address, prefix_len: bits === undefined ? (address.includes(":") ? 128 : 32) : Number(bits) };
    });
    return {
      use_remote_address: false,
      original_ip_detection_extensions: [
        {
          name: "envoy.http.original_ip_detection.xff",
          typed_config: { "@type": `${ext}.http.original_ip_detection.xff.v3.XffConfig`, xff_trusted_cidrs: { cidrs } },
        },
      ],
    };
  }
  if (trust.hops > 0) return { use_remote_address: true, xff_num_trusted_hops: trust.hops };
  return {
    use_remote_address: true,
    xff_num_trusted_hops: 0,
    early_header_mutation_extensions: [
      {
        name: "envoy.http.early_header_mutation.header_mutation",
        typed_config: {
          "@type": `${ext}.http.early_header_mutation.header_mutation.v3.HeaderMutation`,
          mutations: [{ remove: "x-forwarded-for" }],
        },
      },
    ],
  };
}

function connectionManager(options: GatewayOptions, edge: { strict_transport_security?: boolean } = {}): HttpConnectionManager {
  return {
    "@type": `${ext}.filters.network.http_connection_manager.v3.HttpConnectionManager`,
    stat_prefix: "ingress_http",
    codec_type: "AUTO",
    ...clientAddressDetection(options.trustedProxies),
    // No client is "internal", so x-envoy-* headers and x-request-id from outside are never trusted. An
    // empty list would mean Envoy's default (loopback and RFC 1918 are internal): checked with the real
    // binary. So the list holds one TEST-NET-1 address (RFC 5737) that no client ever has.
    internal_address_config: { unix_sockets: false, cidr_ranges: [{ address_prefix: "192.0.2.255", prefix_len: 32 }] },
    normalize_path: true,
    merge_slashes: true,
    path_with_escaped_slashes_action: "REJECT_REQUEST",
    strip_trailing_host_dot: true,
    strip_any_host_port: true,
    generate_request_id: true,
    preserve_external_request_id: false,
    always_set_request_id_in_response: true,
    request_timeout: "60s",
    request_headers_timeout: "10s",
    stream_idle_timeout: "60s",
    drain_timeout: "10s",
    max_request_headers_kb: 60,
    common_http_protocol_options: { idle_timeout: "300s", max_headers_count: 100, headers_with_underscores_action: "REJECT_REQUEST" },
    http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536, initial_connection_window_size: 1048576 },
    server_header_transformation: "PASS_THROUGH",
    access_log: [accessLog],
    local_reply_config: localReplies(),
    route_config: {
      name: "gateway",
      virtual_hosts: [
        {
          name: "gateway",
          domains: ["*"],
          routes: buildRoutes(options),
          // What a service reads as the client: exactly one address, the one resolved above (the
          // services believe it only from the gateway's certificate).
          // The security headers of every answer, unless the web server set its own (the docs' CSP).
          response_headers_to_add: Object.entries({
            ...securityHeaders,
            ...(edge.strict_transport_security ? { "strict-transport-security": strictTransportSecurity } : {}),
          }).map(([key, value]) => ({ header: { key, value }, append_action: "ADD_IF_ABSENT" as const })),
          request_headers_to_add: [
            {
              header: { key: "x-forwarded-for", value: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%" },
              append_action: "OVERWRITE_IF_EXISTS_OR_ADD",
            },
          ],
          typed_per_filter_config: {
            "envoy.filters.http.cors": {
              "@type": `${ext}.filters.http.cors.v3.CorsPolicy`,
              allow_origin_string_match: options.corsAllowedOrigins.map((origin) => ({ exact: origin })),
              allow_methods: cors.allowMethods,
              allow_headers: cors.allowHeaders,
              expose_headers: cors.exposeHeaders,
              max_age: String(cors.maxAgeSeconds),
              // Bearer tokens, not cookies: browsers never need to send credentials cross-origin.
              allow_credentials: false,
            },
          },
        },
      ],
    },
    http_filters: httpFilters(options),
  };
}

const hcmFilter = (typed_config: HttpConnectionManager) => ({
  name: "envoy.filters.network.http_connection_manager" as const,
  typed_config,
});

/**
 * Without edge TLS, one plain-HTTP chain. With GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE, the same port
 * serves HTTPS (TLS 1.2+, HTTP/2 or HTTP/1.1 by ALPN, HSTS on every answer) and answers plain HTTP with a
 * permanent redirect to the same URL over https (the TLS inspector tells the two apart by the first bytes).
 */
function edgeListener(options: GatewayOptions): Pick<Listener, "listener_filters" | "filter_chains"> {
  const tls = options.edgeTls;
  if (!tls) return { filter_chains: [{ filters: [hcmFilter(connectionManager(options))] }] };
  const redirect: HttpConnectionManager = {
    ...connectionManager(options),
    stat_prefix: "ingress_http_redirect",
    // The redirect keeps the port the client used (the same port serves HTTPS).
    strip_any_host_port: false,
    http_filters: [
      {
        name: "envoy.filters.http.router",
        typed_config: { "@type": `${ext}.filters.http.router.v3.Router`, suppress_envoy_headers: true },
      },
    ],
    route_config: {
      name: "redirect",
      virtual_hosts: [
        {
          name: "redirect",
          domains: ["*"],
          routes: [{ name: "to https", match: { prefix: "/" }, redirect: { https_redirect: true, response_code: "PERMANENT_REDIRECT" } }],
        },
      ],
    },
  };
  const secure = connectionManager(options, { strict_transport_security: true });
  return {
    listener_filters: [
      {
        name: "envoy.filters.listener.tls_inspector",
        typed_config: { "@type": `${ext}.filters.listener.tls_inspector.v3.TlsInspector` },
      },
    ],
    filter_chains: [
      {
        filter_chain_match: { transport_protocol: "tls" },
        transport_socket: {
          name: "envoy.transport_sockets.tls",
          typed_config: {
            "@type": `${ext}.transport_sockets.tls.v3.DownstreamTlsContext`,
            common_tls_context: {
              tls_params: { tls_minimum_protocol_version: "TLSv1_2" },
              alpn_protocols: ["h2", "http/1.1"],
              tls_certificates: [{ certificate_chain: { filename: tls.certFile }, private_key: { filename: tls.keyFile } }],
            },
          },
        },
        filters: [hcmFilter(secure)],
      },
      { filter_chain_match: { transport_protocol: "raw_buffer" }, filters: [hcmFilter(redirect)] },
    ],
  };
}

export function renderEnvoyConfig(options: GatewayOptions): Bootstrap {
  return {
    node: { id: "gateway", cluster: "identity-gateway" },
    // Loopback only: the admin interface can stop Envoy and dump its configuration.
    admin: {
      address: { socket_address: { address: options.admin.host, port_value: options.admin.port } },
      access_log: [
        { name: "envoy.access_loggers.file", typed_config: { "@type": `${ext}.access_loggers.file.v3.FileAccessLog`, path: "/dev/null" } },
      ],
    },
    overload_manager: {
      refresh_interval: "0.25s",
      resource_monitors: [
        {
          name: "envoy.resource_monitors.global_downstream_max_connections",
          typed_config: {
            "@type": `${ext}.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig`,
            max_active_downstream_connections: 50000,
          },
        },
      ],
    },
    static_resources: {
      listeners: [
        {
          name: "gateway",
          address: { socket_address: { address: options.listen.host, port_value: options.listen.port } },
          per_connection_buffer_limit_bytes: 32768,
          ...edgeListener(options),
        },
      ],
      clusters: buildClusters(options),
    },
  };
}
