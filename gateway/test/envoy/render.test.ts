// The rendered configuration, as data: every route comes from the contract, and the policies (JWT, rate
// limits, CORS, mTLS) are where they should be. The real Envoy checks it in validate.int.test.ts.

import { readFileSync } from "node:fs";
import { fromBinary, getExtension } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { routes as contractRoutes } from "@identity/proto/contract";
import { http } from "@identity/proto/google/api/annotations_pb.js";
import { renderEnvoyConfig, transcodedServices } from "../../src/envoy/render.ts";
import { bodyFields, templateRegex } from "../../src/envoy/routes.ts";
import { contractDescriptorPath } from "../../src/envoy/to-yaml.ts";
import { transcoderDescriptor } from "../../src/envoy/transcoder-descriptor.ts";
import type { HttpConnectionManager, Route } from "../../src/envoy/types.ts";
import { testOptions } from "./fixtures.ts";

function manager(options = testOptions()): HttpConnectionManager {
  const listener = renderEnvoyConfig(options).static_resources.listeners[0];
  const hcm = listener?.filter_chains[0]?.filters[0]?.typed_config;
  if (!hcm) throw new Error("no connection manager");
  return hcm;
}
const routesOf = (options = testOptions()): Route[] => manager(options).route_config.virtual_hosts[0]?.routes ?? [];

/** The route Envoy would pick for a method and path (first match, as Envoy does). */
function routeFor(all: Route[], method: string, path: string): Route | undefined {
  return all.find(({ match }) => {
    const pathOk =
      (match.path !== undefined && match.path === path) ||
      (match.prefix !== undefined && path.startsWith(match.prefix)) ||
      (match.safe_regex !== undefined && new RegExp(match.safe_regex.regex).test(path));
    const headersOk = (match.headers ?? []).every((h) =>
      h.name === ":method" ? h.string_match?.exact === method : h.present_match === true && method === "OPTIONS-PREFLIGHT",
    );
    return pathOk && headersOk;
  });
}

const restBindings = contractRoutes.filter((r) => r.rest && r.access !== "service");

test("one REST route per REST binding of the contract, and one gRPC route per routable RPC", () => {
  const all = routesOf();
  const rest = all.filter((r) => r.name.startsWith("rest "));
  expect(rest.map((r) => r.name).sort()).toEqual(restBindings.map((r) => `rest ${r.rest?.verb} ${r.rest?.path}`).sort());
  const rpc = all.filter((r) => r.name.startsWith("rpc "));
  expect(rpc.map((r) => r.match.path).sort()).toEqual(
    contractRoutes
      .filter((r) => r.access !== "service")
      .map((r) => r.rpcPath)
      .sort(),
  );
  expect(new Set(all.map((r) => r.name)).size).toBe(all.length);
});

test("a known REST path with a method it does not have is 405 with Allow listing the contract's verbs there", () => {
  const all = routesOf();
  for (const r of restBindings) {
    const concrete = r.rest?.path.replace(/\{[^}]+\}/g, "0190b5a0-0000-7000-8000-000000000001") ?? "";
    const literal = !r.rest?.path.includes("{");
    const verbs = restBindings
      .filter((b) => b.rest && (literal ? b.rest.path === r.rest?.path : new RegExp(templateRegex(b.rest.path)).test(concrete)))
      .map((b) => b.rest?.verb);
    const route = routeFor(all, "TRACE", concrete);
    expect([concrete, route?.direct_response?.status]).toEqual([concrete, 405]);
    const allow = route?.response_headers_to_add?.find((h) => h.header.key === "allow")?.header.value.split(", ");
    expect(allow?.sort()).toEqual([...new Set(verbs)].sort());
  }
});

test("each REST path (trailing slash, path variables) reaches its RPC's service, and only with its verb", () => {
  const all = routesOf();
  for (const r of restBindings) {
    const concrete = r.rest?.path.replace(/\{[^}]+\}/g, "0190b5a0-0000-7000-8000-000000000001") ?? "";
    const route = routeFor(all, r.rest?.verb ?? "", concrete);
    expect([concrete, route?.name, route?.route?.cluster]).toEqual([concrete, `rest ${r.rest?.verb} ${r.rest?.path}`, r.owner]);
  }
  expect(routeFor(all, "GET", "/api/friendships/received/")?.name).toBe("rest GET /api/friendships/received/");
  expect(routeFor(all, "POST", "/api/friendships/received/")?.direct_response?.status).toBe(405);
  // Not taken for DELETE /api/friendships/{id}/ with id "received": the literal path's 405 comes first.
  expect(routeFor(all, "DELETE", "/api/friendships/received/")?.response_headers_to_add?.[0]?.header.value).toBe("GET");
  expect(routeFor(all, "POST", "/api/auth/register")?.direct_response?.status).toBe(404);
});

test("user routes require a token; optional-user ones a valid token if any; public ones none; an unlisted route would", () => {
  const all = routesOf();
  for (const r of contractRoutes.filter((x) => x.access !== "service")) {
    const rpc = all.find((x) => x.match.path === r.rpcPath);
    const jwt = rpc?.typed_per_filter_config?.["envoy.filters.http.jwt_authn"];
    if (r.access === "user") expect([r.rpcPath, jwt?.requirement_name]).toEqual([r.rpcPath, "access_token"]);
    else if (r.access === "user_optional") expect([r.rpcPath, jwt?.requirement_name]).toEqual([r.rpcPath, "access_token_if_any"]);
    else expect([r.rpcPath, jwt?.disabled]).toEqual([r.rpcPath, true]);
  }
  const profile = routeFor(all, "GET", "/api/profiles/me/");
  expect(profile?.typed_per_filter_config?.["envoy.filters.http.jwt_authn"]?.requirement_name).toBe("access_token");
  const login = routeFor(all, "POST", "/api/auth/login/");
  expect(login?.typed_per_filter_config?.["envoy.filters.http.jwt_authn"]?.disabled).toBe(true);
  for (const path of ["/", "/swagger/", "/redoc/", "/openapi.json", "/assets/app.js", "/healthz", "/.well-known/jwks.json"]) {
    expect([path, routeFor(all, "GET", path)?.typed_per_filter_config?.["envoy.filters.http.jwt_authn"]?.disabled]).toEqual([path, true]);
  }
  const filter = manager().http_filters.find((f) => f.name === "envoy.filters.http.jwt_authn");
  expect(filter?.typed_config).toMatchObject({
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "identity" } }],
    providers: {
      identity: {
        issuer: "identity-platform",
        audiences: ["react-frontend"],
        from_headers: [{ name: "Authorization", value_prefix: "Bearer " }],
        from_params: [],
        forward: true,
        remote_jwks: { http_uri: { uri: "https://auth.identity.internal/.well-known/jwks.json", cluster: "auth" } },
      },
    },
  });
});

test("service-to-service RPCs and health are not routable from outside; dev mail only in dev", () => {
  const dev = routesOf(testOptions({ environment: "dev" }));
  const prod = routesOf(testOptions({ environment: "prod" }));
  for (const all of [dev, prod]) {
    for (const path of [
      "/identity.profile.v1.UserLookupService/BatchGetUsers",
      "/identity.friendship.v1.FriendGraphService/CheckFriendship",
      "/grpc.health.v1.Health/Check",
    ]) {
      expect([path, routeFor(all, "POST", path)?.direct_response?.status]).toEqual([path, 404]);
    }
    // Reflection is public, answered by auth with the gateway's view (the header is Envoy's, whatever was sent).
    for (const version of ["v1", "v1alpha"]) {
      const route = routeFor(all, "POST", `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`);
      expect(route?.route?.cluster).toBe("auth");
      expect(route?.typed_per_filter_config?.["envoy.filters.http.jwt_authn"]).toMatchObject({ disabled: true });
      expect(route?.request_headers_to_add).toEqual([
        { header: { key: "x-identity-reflection", value: "gateway" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
      ]);
    }
  }
  expect(routeFor(dev, "GET", "/api/dev/mail/")?.route?.cluster).toBe("auth");
  expect(routeFor(prod, "GET", "/api/dev/mail/")?.direct_response?.status).toBe(404);
  expect(routeFor(prod, "POST", "/identity.dev.v1.DevMailService/ListMail")?.direct_response?.status).toBe(404);
  expect(transcodedServices({ environment: "dev" })).toEqual([
    "identity.auth.v1.AuthService",
    "identity.dev.v1.DevMailService",
    "identity.profile.v1.ProfileService",
    "identity.friendship.v1.FriendshipService",
  ]);
  expect(transcodedServices({ environment: "prod" })).not.toContain("identity.dev.v1.DevMailService");
});

test("CORS allows exactly the configured origins", () => {
  const origins = ["https://app.example.com", "https://admin.example.com"];
  const policy = manager(testOptions({ corsAllowedOrigins: origins })).route_config.virtual_hosts[0]?.typed_per_filter_config?.[
    "envoy.filters.http.cors"
  ];
  expect(policy?.allow_origin_string_match).toEqual(origins.map((exact) => ({ exact })));
  for (const h of [
    "authorization",
    "content-type",
    "connect-protocol-version",
    "connect-timeout-ms",
    "x-grpc-web",
    "x-user-agent",
    "grpc-timeout",
  ]) {
    expect(policy?.allow_headers.split(", ")).toContain(h);
  }
  for (const h of ["grpc-status", "grpc-message"]) expect(policy?.expose_headers.split(", ")).toContain(h);
  expect(policy?.allow_credentials).toBe(false);
  expect(testOptions().corsAllowedOrigins).toEqual(["http://localhost:3000", "http://localhost:8080"]);
});

test("rate limits are per client address, stricter on the auth API", () => {
  const all = routesOf(
    testOptions({ rateLimits: { auth: { requests: 7, periodSeconds: 60 }, default: { requests: 70, periodSeconds: 60 } } }),
  );
  const limitOf = (r: Route | undefined) => {
    const config = r?.typed_per_filter_config?.["envoy.filters.http.local_ratelimit"];
    return config && "descriptors" in config ? config : undefined;
  };
  const login = limitOf(routeFor(all, "POST", "/api/auth/login/"));
  expect(login?.rate_limits).toEqual([{ actions: [{ remote_address: {} }] }]);
  expect(login?.descriptors).toEqual([
    { entries: [{ key: "remote_address", value: "" }], token_bucket: { max_tokens: 7, tokens_per_fill: 7, fill_interval: "60s" } },
  ]);
  expect(login?.enable_x_ratelimit_headers).toBe("DRAFT_VERSION_03");
  expect(limitOf(all.find((r) => r.match.path === "/identity.auth.v1.AuthService/Login"))?.descriptors?.[0]?.token_bucket.max_tokens).toBe(
    7,
  );
  expect(limitOf(routeFor(all, "GET", "/api/profiles/me/"))?.descriptors?.[0]?.token_bucket.max_tokens).toBe(70);
});

test("the edge settings: real peer address, no trusted hops, strict paths and headers, admin on loopback", () => {
  const hcm = manager();
  expect(hcm).toMatchObject({
    use_remote_address: true,
    xff_num_trusted_hops: 0,
    normalize_path: true,
    merge_slashes: true,
    path_with_escaped_slashes_action: "REJECT_REQUEST",
    common_http_protocol_options: { headers_with_underscores_action: "REJECT_REQUEST" },
    internal_address_config: { unix_sockets: false, cidr_ranges: [{ address_prefix: "192.0.2.255", prefix_len: 32 }] },
    preserve_external_request_id: false,
  });
  expect(hcm.http_filters.map((f) => f.name)).toEqual([
    "envoy.filters.http.health_check",
    "envoy.filters.http.cors",
    "envoy.filters.http.local_ratelimit",
    "envoy.filters.http.jwt_authn",
    "envoy.filters.http.lua",
    "envoy.filters.http.grpc_json_transcoder",
    "envoy.filters.http.grpc_web",
    "envoy.filters.http.compressor.gzip",
    "envoy.filters.http.compressor.brotli",
    "envoy.filters.http.router",
  ]);
  const config = renderEnvoyConfig(testOptions());
  expect(config.admin.address.socket_address.address).toBe("127.0.0.1");
  expect(config.static_resources.listeners[0]?.address.socket_address).toEqual({ address: "0.0.0.0", port_value: 8080 });
});

test("upstreams: HTTP/2, mutual TLS with the platform CA and the service's exact SAN, one endpoint per replica", () => {
  const options = testOptions();
  options.services.profile.endpoints = [
    { host: "127.0.0.1", port: 50052 },
    { host: "127.0.0.1", port: 50062 },
  ];
  const clusters = renderEnvoyConfig(options).static_resources.clusters;
  expect(clusters.map((c) => c.name)).toEqual(["auth", "profile", "friendship", "web"]);
  for (const name of ["auth", "profile", "friendship"]) {
    const c = clusters.find((x) => x.name === name);
    const tls = c?.transport_socket?.typed_config;
    expect(tls?.sni).toBe(`${name}.identity.internal`);
    expect(tls?.common_tls_context.validation_context).toEqual({
      trusted_ca: { filename: ".data/certs/ca.crt" },
      match_typed_subject_alt_names: [{ san_type: "DNS", matcher: { exact: `${name}.identity.internal` } }],
    });
    expect(tls?.common_tls_context.tls_certificates).toEqual([
      { certificate_chain: { filename: ".data/certs/envoy.crt" }, private_key: { filename: ".data/certs/envoy.key" } },
    ]);
    expect(
      c?.typed_extension_protocol_options?.["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].explicit_http_config,
    ).toHaveProperty("http2_protocol_options");
    expect(c?.health_checks?.[0]?.grpc_health_check).toBeDefined();
  }
  const profile = clusters.find((c) => c.name === "profile");
  expect(profile?.load_assignment.endpoints[0]?.lb_endpoints.map((e) => e.endpoint.address.socket_address.port_value)).toEqual([
    50052, 50062,
  ]);
  expect(clusters.find((c) => c.name === "web")?.transport_socket).toBeUndefined();
});

test("the transcoder's descriptor has the contract's bindings without trailing slash or response_body", () => {
  const set = fromBinary(FileDescriptorSetSchema, transcoderDescriptor(readFileSync(contractDescriptorPath)));
  const bindings = set.file.flatMap((f) =>
    f.service.flatMap((s) =>
      s.method.filter((m) => m.options).map((m) => ({ name: `${s.name}.${m.name}`, rule: getExtension(m.options as never, http) })),
    ),
  );
  const respond = bindings.find((b) => b.name === "FriendshipService.RespondToFriendRequest")?.rule;
  expect(respond?.pattern).toEqual({ case: "post", value: "/api/friendships/respond/{id}" });
  expect(respond?.body).toBe("*");
  expect(respond?.responseBody).toBe("");
  for (const { name, rule } of bindings) {
    if (rule.pattern.case === undefined || rule.pattern.case === "custom") continue;
    expect([name, rule.pattern.value.length === 1 || !rule.pattern.value.endsWith("/")]).toEqual([name, true]);
  }
});

test("path templates become anchored regexes; body fields exclude path variables", () => {
  expect(templateRegex("/api/friendships/{id}/")).toBe("^/api/friendships/[^/]+/$");
  expect(new RegExp(templateRegex("/api/friendships/{id}/")).test("/api/friendships/abc/def/")).toBe(false);
  const respond = contractRoutes.find((r) => r.method.name === "RespondToFriendRequest");
  const register = contractRoutes.find((r) => r.method.name === "Register");
  if (!respond || !register) throw new Error("contract changed");
  expect(bodyFields(respond)).toBe(",action,");
  expect(bodyFields(register).split(",")).toEqual(expect.arrayContaining(["first_name", "firstName", "username", "password"]));
});

test("compression is off in the chain and on only for the web app's and the docs' routes (BREACH)", () => {
  const compressors = manager().http_filters.filter((f) => f.name.startsWith("envoy.filters.http.compressor."));
  expect(compressors.map((f) => "disabled" in f && f.disabled)).toEqual([true, true]);
  for (const route of routesOf()) {
    const on = route.typed_per_filter_config?.["envoy.filters.http.compressor.brotli"]?.disabled === false;
    expect([route.name, on]).toEqual([route.name, route.route?.cluster === "web" && route.name.startsWith("web ")]);
  }
});
