// The subset of Envoy's v3 configuration API that the gateway uses, as TypeScript types, so that a
// misspelled field is a compile error rather than a start-up error. Field names are Envoy's own
// (snake_case, as in YAML). No package publishes these types for TypeScript; when a field is needed
// that is not here, add it with the name and shape of the v3 proto.

/** A google.protobuf.Duration as Envoy's YAML takes it: "5s", "0.25s". */
export type Duration = `${number}s`;

export interface Percent {
  numerator: number;
  denominator: "HUNDRED" | "TEN_THOUSAND" | "MILLION";
}

export interface RuntimeFractionalPercent {
  default_value: Percent;
  runtime_key?: string;
}

export interface SocketAddress {
  socket_address: { address: string; port_value: number; protocol?: "TCP" };
}

export interface DataSource {
  filename?: string;
  inline_string?: string;
}

export interface StringMatcher {
  exact?: string;
  prefix?: string;
  safe_regex?: { regex: string };
  ignore_case?: boolean;
}

export interface HeaderValueOption {
  header: { key: string; value: string };
  append_action?: "APPEND_IF_EXISTS_OR_ADD" | "ADD_IF_ABSENT" | "OVERWRITE_IF_EXISTS_OR_ADD";
}

// ---------------------------------------------------------------------------------------------------
// Typed extension configs, discriminated by "@type".

const t = "type.googleapis.com/envoy.extensions";

export interface HttpConnectionManager {
  "@type": `${typeof t}.filters.network.http_connection_manager.v3.HttpConnectionManager`;
  stat_prefix: string;
  codec_type: "AUTO" | "HTTP1" | "HTTP2";
  use_remote_address: boolean;
  xff_num_trusted_hops?: number;
  /** Cannot be combined with use_remote_address or xff_num_trusted_hops. */
  original_ip_detection_extensions?: Array<{
    name: "envoy.http.original_ip_detection.xff";
    typed_config: {
      "@type": `${typeof t}.http.original_ip_detection.xff.v3.XffConfig`;
      xff_trusted_cidrs: { cidrs: Array<{ address_prefix: string; prefix_len: number }> };
    };
  }>;
  early_header_mutation_extensions?: Array<{
    name: "envoy.http.early_header_mutation.header_mutation";
    typed_config: {
      "@type": `${typeof t}.http.early_header_mutation.header_mutation.v3.HeaderMutation`;
      mutations: Array<{ remove: string }>;
    };
  }>;
  skip_xff_append?: boolean;
  internal_address_config: { unix_sockets: boolean; cidr_ranges: Array<{ address_prefix: string; prefix_len: number }> };
  normalize_path: boolean;
  merge_slashes: boolean;
  path_with_escaped_slashes_action: "KEEP_UNCHANGED" | "REJECT_REQUEST" | "UNESCAPE_AND_REDIRECT" | "UNESCAPE_AND_FORWARD";
  strip_trailing_host_dot: boolean;
  strip_any_host_port?: boolean;
  generate_request_id: boolean;
  preserve_external_request_id: boolean;
  always_set_request_id_in_response: boolean;
  request_timeout: Duration;
  request_headers_timeout: Duration;
  stream_idle_timeout: Duration;
  drain_timeout?: Duration;
  max_request_headers_kb: number;
  common_http_protocol_options: {
    idle_timeout: Duration;
    max_headers_count?: number;
    max_stream_duration?: Duration;
    headers_with_underscores_action: "ALLOW" | "REJECT_REQUEST" | "DROP_HEADER";
  };
  http2_protocol_options: Http2ProtocolOptions;
  server_name?: string;
  server_header_transformation?: "OVERWRITE" | "APPEND_IF_ABSENT" | "PASS_THROUGH";
  access_log: AccessLog[];
  local_reply_config?: LocalReplyConfig;
  route_config: RouteConfiguration;
  http_filters: HttpFilter[];
}

export interface Http2ProtocolOptions {
  max_concurrent_streams?: number;
  initial_stream_window_size?: number;
  initial_connection_window_size?: number;
}

export interface AccessLog {
  name: "envoy.access_loggers.stdout" | "envoy.access_loggers.file";
  typed_config:
    | {
        "@type": `${typeof t}.access_loggers.stream.v3.StdoutAccessLog`;
        log_format: { json_format: Record<string, string | number> };
      }
    | { "@type": `${typeof t}.access_loggers.file.v3.FileAccessLog`; path: string };
}

export type AccessLogFilter =
  | { status_code_filter: { comparison: { op: "EQ" | "GE" | "LE"; value: { default_value: number; runtime_key: string } } } }
  | {
      metadata_filter: {
        matcher: { filter: string; path: Array<{ key: string }>; value: { bool_match?: boolean; string_match?: StringMatcher } };
        match_if_key_not_found: boolean;
      };
    }
  /** On the request's headers; `present_match: false` matches when the header is absent. */
  | { header_filter: { header: { name: string; present_match: boolean } } }
  | { and_filter: { filters: AccessLogFilter[] } };

export interface LocalReplyConfig {
  mappers: Array<{
    filter: AccessLogFilter;
    status_code?: number;
    body?: DataSource;
    body_format_override?: SubstitutionFormat;
    headers_to_add?: HeaderValueOption[];
  }>;
  body_format?: SubstitutionFormat;
}

export interface SubstitutionFormat {
  json_format?: Record<string, unknown>;
  text_format_source?: DataSource;
  content_type?: string;
}

// ---------------------------------------------------------------------------------------------------
// HTTP filters.

export interface CorsPolicy {
  "@type": `${typeof t}.filters.http.cors.v3.CorsPolicy`;
  allow_origin_string_match: StringMatcher[];
  allow_methods: string;
  allow_headers: string;
  expose_headers: string;
  max_age: string;
  allow_credentials: boolean;
}

export interface JwtProvider {
  issuer: string;
  audiences: string[];
  from_headers: Array<{ name: string; value_prefix: string }>;
  /** Explicitly empty: tokens in the query string end up in logs and browser history. */
  from_params: string[];
  forward: boolean;
  clock_skew_seconds?: number;
  remote_jwks: {
    http_uri: { uri: string; cluster: string; timeout: Duration };
    cache_duration: Duration;
    async_fetch: { fast_listener: boolean; failed_refetch_duration?: Duration };
    retry_policy?: { num_retries: number; retry_back_off?: { base_interval: Duration; max_interval: Duration } };
  };
}

export interface JwtRequirement {
  provider_name?: string;
  allow_missing?: Record<string, never>;
  requires_any?: { requirements: JwtRequirement[] };
}

export interface JwtAuthentication {
  "@type": `${typeof t}.filters.http.jwt_authn.v3.JwtAuthentication`;
  providers: Record<string, JwtProvider>;
  requirement_map: Record<string, JwtRequirement>;
  /** Used only for routes without a per-route config: the renderer makes it "require a token". */
  rules: Array<{ match: RouteMatch; requires: JwtRequirement }>;
}

export interface JwtPerRoute {
  "@type": `${typeof t}.filters.http.jwt_authn.v3.PerRouteConfig`;
  disabled?: boolean;
  requirement_name?: string;
}

export interface TokenBucket {
  max_tokens: number;
  tokens_per_fill: number;
  fill_interval: Duration;
}

export interface LocalRateLimit {
  "@type": `${typeof t}.filters.http.local_ratelimit.v3.LocalRateLimit`;
  stat_prefix: string;
  token_bucket?: TokenBucket;
  filter_enabled?: RuntimeFractionalPercent;
  filter_enforced?: RuntimeFractionalPercent;
  descriptors?: Array<{ entries: Array<{ key: string; value: string }>; token_bucket: TokenBucket }>;
  max_dynamic_descriptors?: number;
  always_consume_default_token_bucket?: boolean;
  enable_x_ratelimit_headers?: "OFF" | "DRAFT_VERSION_03";
  rate_limited_as_resource_exhausted?: boolean;
  response_headers_to_add?: HeaderValueOption[];
  /** Which descriptors a request produces (here: its client address). */
  rate_limits?: Array<{ actions: RateLimitAction[] }>;
}

export interface HealthCheckFilter {
  "@type": `${typeof t}.filters.http.health_check.v3.HealthCheck`;
  pass_through_mode: boolean;
  headers: HeaderMatcher[];
  cluster_min_healthy_percentages: Record<string, { value: number }>;
}

export interface GrpcJsonTranscoder {
  "@type": `${typeof t}.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder`;
  proto_descriptor: string;
  services: string[];
  print_options: {
    add_whitespace: boolean;
    always_print_primitive_fields: boolean;
    always_print_enums_as_ints: boolean;
    preserve_proto_field_names: boolean;
  };
  convert_grpc_status: boolean;
  match_incoming_request_route: boolean;
  request_validation_options: { reject_unknown_method: boolean; reject_unknown_query_parameters: boolean };
  max_request_body_size?: number;
  max_response_body_size?: number;
}

export interface Lua {
  "@type": `${typeof t}.filters.http.lua.v3.Lua`;
  default_source_code: DataSource;
  /** Whether changing a request header makes Envoy pick the route again. */
  clear_route_cache: boolean;
}

export interface Router {
  "@type": `${typeof t}.filters.http.router.v3.Router`;
  suppress_envoy_headers: boolean;
}

export type HttpFilter =
  | { name: "envoy.filters.http.health_check"; typed_config: HealthCheckFilter }
  | { name: "envoy.filters.http.cors"; typed_config: { "@type": `${typeof t}.filters.http.cors.v3.Cors` } }
  | { name: "envoy.filters.http.local_ratelimit"; typed_config: LocalRateLimit }
  | { name: "envoy.filters.http.jwt_authn"; typed_config: JwtAuthentication }
  | { name: "envoy.filters.http.lua"; typed_config: Lua }
  | { name: "envoy.filters.http.grpc_json_transcoder"; typed_config: GrpcJsonTranscoder }
  | { name: "envoy.filters.http.grpc_web"; typed_config: { "@type": `${typeof t}.filters.http.grpc_web.v3.GrpcWeb` } }
  | { name: "envoy.filters.http.router"; typed_config: Router }
  | { name: `envoy.filters.http.compressor.${string}`; typed_config: CompressorFilter; disabled: boolean };

export interface CompressorFilter {
  "@type": `${typeof t}.filters.http.compressor.v3.Compressor`;
  choose_first: boolean;
  response_direction_config: { common_config: { min_content_length: number; content_type: string[] } };
  compressor_library:
    | { name: "brotli"; typed_config: { "@type": `${typeof t}.compression.brotli.compressor.v3.Brotli`; quality: number } }
    | { name: "gzip"; typed_config: { "@type": `${typeof t}.compression.gzip.compressor.v3.Gzip`; compression_level: string } };
}

// ---------------------------------------------------------------------------------------------------
// Routes.

export interface HeaderMatcher {
  name: string;
  string_match?: StringMatcher;
  present_match?: boolean;
}

export interface RouteMatch {
  path?: string;
  prefix?: string;
  safe_regex?: { regex: string };
  headers?: HeaderMatcher[];
}

/** Disables one HTTP filter on a route (any filter, since Envoy 1.2x). */
export interface FilterDisabled {
  "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig";
  disabled: true;
}

/** Enables on one route an HTTP filter that is disabled in the chain. */
export interface FilterEnabled {
  "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig";
  disabled: false;
  config: {
    "@type": `${typeof t}.filters.http.compressor.v3.CompressorPerRoute`;
    overrides: { response_direction_config: Record<string, never> };
  };
}

export interface PerFilterConfig {
  "envoy.filters.http.compressor.brotli"?: FilterEnabled;
  "envoy.filters.http.compressor.gzip"?: FilterEnabled;
  "envoy.filters.http.jwt_authn"?: JwtPerRoute;
  "envoy.filters.http.local_ratelimit"?: LocalRateLimit | FilterDisabled;
  "envoy.filters.http.grpc_json_transcoder"?: FilterDisabled;
}

export interface RateLimitAction {
  remote_address?: Record<string, never>;
  generic_key?: { descriptor_value: string; descriptor_key: string };
}

export interface RetryPolicy {
  /** Comma-separated conditions: connect-failure, refused-stream, reset-before-request, reset, unavailable... */
  retry_on: string;
  retriable_status_codes?: number[];
  num_retries: number;
  per_try_timeout?: Duration;
  retry_back_off?: { base_interval: Duration; max_interval: Duration };
  /** Another host than the one that failed (envoy.retry_host_predicates.previous_hosts). */
  retry_host_predicate?: Array<{
    name: "envoy.retry_host_predicates.previous_hosts";
    typed_config: { "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate" };
  }>;
  host_selection_retry_max_attempts?: number;
}

export interface RouteAction {
  cluster: string;
  timeout: Duration;
  prefix_rewrite?: string;
  retry_policy?: RetryPolicy;
}

export interface Route {
  name: string;
  match: RouteMatch;
  route?: RouteAction;
  request_headers_to_add?: HeaderValueOption[];
  redirect?: { https_redirect: true; response_code: "MOVED_PERMANENTLY" | "PERMANENT_REDIRECT" };
  direct_response?: { status: number; body?: DataSource };
  response_headers_to_add?: HeaderValueOption[];
  /** Read by the Lua filter (`request_handle:metadata()`), under the filter's own name. */
  metadata?: { filter_metadata: Record<string, Record<string, string | boolean>> };
  typed_per_filter_config?: PerFilterConfig;
}

export interface RouteConfiguration {
  name: string;
  /** Envoy-set request headers the services must not trust from outside. */
  request_headers_to_remove?: string[];
  response_headers_to_remove?: string[];
  virtual_hosts: VirtualHost[];
}

export interface VirtualHost {
  name: string;
  domains: string[];
  routes: Route[];
  request_headers_to_add?: HeaderValueOption[];
  response_headers_to_add?: HeaderValueOption[];
  /** The CORS filter reads its policy here (per virtual host), not from the filter's own config. */
  typed_per_filter_config?: { "envoy.filters.http.cors": CorsPolicy };
}

// ---------------------------------------------------------------------------------------------------
// Listeners, clusters, bootstrap.

export interface DownstreamTlsContext {
  "@type": `${typeof t}.transport_sockets.tls.v3.DownstreamTlsContext`;
  common_tls_context: {
    tls_params: { tls_minimum_protocol_version: "TLSv1_2" | "TLSv1_3" };
    alpn_protocols: string[];
    tls_certificates: TlsCertificate[];
  };
}

export interface FilterChain {
  filter_chain_match?: { transport_protocol: "tls" | "raw_buffer" };
  transport_socket?: { name: "envoy.transport_sockets.tls"; typed_config: DownstreamTlsContext };
  filters: Array<{ name: "envoy.filters.network.http_connection_manager"; typed_config: HttpConnectionManager }>;
}

export interface Listener {
  name: string;
  address: SocketAddress;
  per_connection_buffer_limit_bytes: number;
  listener_filters?: Array<{
    name: "envoy.filters.listener.tls_inspector";
    typed_config: { "@type": `${typeof t}.filters.listener.tls_inspector.v3.TlsInspector` };
  }>;
  filter_chains: FilterChain[];
}

export interface TlsCertificate {
  certificate_chain: DataSource;
  private_key: DataSource;
}

export interface UpstreamTlsContext {
  "@type": `${typeof t}.transport_sockets.tls.v3.UpstreamTlsContext`;
  sni: string;
  common_tls_context: {
    tls_params: { tls_minimum_protocol_version: "TLSv1_2" | "TLSv1_3"; tls_maximum_protocol_version: "TLSv1_2" | "TLSv1_3" };
    alpn_protocols: string[];
    tls_certificates: TlsCertificate[];
    validation_context: {
      trusted_ca: DataSource;
      match_typed_subject_alt_names: Array<{ san_type: "DNS" | "URI" | "IP_ADDRESS" | "EMAIL"; matcher: StringMatcher }>;
    };
  };
}

export interface HealthCheck {
  timeout: Duration;
  interval: Duration;
  interval_jitter?: Duration;
  /** How often to check a host that was just marked unhealthy / healthy (defaults to interval). */
  unhealthy_interval?: Duration;
  unhealthy_edge_interval?: Duration;
  unhealthy_threshold: number;
  healthy_threshold: number;
  no_traffic_interval?: Duration;
  grpc_health_check?: { service_name: string; authority?: string };
}

export interface OutlierDetection {
  /** Connection failures, resets and timeouts (local origin) counted apart from the upstream's own answers. */
  split_external_local_origin_errors: boolean;
  consecutive_local_origin_failure: number;
  enforcing_consecutive_local_origin_failure: number;
  /** 502/503/504 answers (gRPC UNAVAILABLE counts as 503). */
  consecutive_gateway_failure: number;
  enforcing_consecutive_gateway_failure: number;
  consecutive_5xx: number;
  enforcing_consecutive_5xx: number;
  interval: Duration;
  base_ejection_time: Duration;
  max_ejection_time?: Duration;
  max_ejection_percent: number;
  /** Success-rate ejection needs many hosts and requests; off here. */
  enforcing_success_rate: number;
  enforcing_local_origin_success_rate?: number;
}

export interface Cluster {
  name: string;
  type: "STATIC" | "STRICT_DNS" | "LOGICAL_DNS";
  connect_timeout: Duration;
  lb_policy: "ROUND_ROBIN" | "LEAST_REQUEST";
  per_connection_buffer_limit_bytes?: number;
  typed_extension_protocol_options?: {
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
      "@type": `${typeof t}.upstreams.http.v3.HttpProtocolOptions`;
      explicit_http_config: { http2_protocol_options: Http2ProtocolOptions } | { http_protocol_options: Record<string, never> };
      common_http_protocol_options?: { idle_timeout: Duration };
    };
  };
  circuit_breakers?: {
    thresholds: Array<{
      priority: "DEFAULT" | "HIGH";
      max_connections: number;
      max_pending_requests: number;
      max_requests: number;
      max_retries?: number;
      /** Active retries at most this share of active requests (plus a floor): overrides max_retries. */
      retry_budget?: { budget_percent: { value: number }; min_retry_concurrency: number };
    }>;
  };
  outlier_detection?: OutlierDetection;
  health_checks?: HealthCheck[];
  transport_socket?: { name: "envoy.transport_sockets.tls"; typed_config: UpstreamTlsContext };
  load_assignment: {
    cluster_name: string;
    endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: SocketAddress } }> }>;
  };
}

export interface Bootstrap {
  node: { id: string; cluster: string };
  admin: {
    address: SocketAddress;
    access_log: AccessLog[];
  };
  overload_manager: {
    refresh_interval: Duration;
    resource_monitors: Array<{
      name: string;
      typed_config: Record<string, unknown> & { "@type": string };
    }>;
    actions?: Array<{
      name: string;
      triggers: Array<{ name: string; threshold: { value: number } }>;
    }>;
  };
  layered_runtime?: { layers: Array<{ name: string; static_layer: Record<string, unknown> }> };
  static_resources: { listeners: Listener[]; clusters: Cluster[] };
}
