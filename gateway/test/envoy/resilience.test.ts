// The rendered configuration's answers to a replica going away: retries only where they are safe (derived
// from the contract), a retry budget, outlier detection that ejects at once, health checks fast enough to see
// a draining replica, and a drain timeout. The real Envoy validates the same config in validate.int.test.ts.
import { routes as contractRoutes } from "@identity/proto/contract";
import { renderEnvoyConfig } from "../../src/envoy/render.ts";
import type { Cluster, Route } from "../../src/envoy/types.ts";
import { testOptions } from "./fixtures.ts";

const config = renderEnvoyConfig(testOptions());
const hcm = config.static_resources.listeners[0]?.filter_chains[0]?.filters[0]?.typed_config;
const routes: Route[] = hcm?.route_config.virtual_hosts[0]?.routes ?? [];
const cluster = (name: string): Cluster => {
  const found = config.static_resources.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`no cluster ${name}`);
  return found;
};
const exposed = contractRoutes.filter((r) => r.access !== "service" && r.access !== "dev");
const conditions = (route: Route | undefined) => route?.route?.retry_policy?.retry_on.split(",").sort() ?? [];
const rpcRouteOf = (rpcPath: string) => routes.find((r) => r.match.path === rpcPath);
const restRouteOf = (verb: string, path: string) => routes.find((r) => r.name === `rest ${verb} ${path}`);

test("the contract says which RPCs are read-only: the GET bindings", () => {
  const readOnly = exposed.filter((r) => r.readOnly).map((r) => r.method.name);
  expect(readOnly).toEqual(expect.arrayContaining(["GetMyProfile", "ListUsers", "ListFriendships", "GetJwks"]));
  for (const name of ["Register", "Login", "RefreshToken", "CreateFriendRequest", "RespondToFriendRequest", "UpdateMyProfile"]) {
    expect([name, exposed.find((r) => r.method.name === name)?.readOnly]).toEqual([name, false]);
  }
});

test("every route to a service retries what never reached it; writes nothing else", () => {
  const safe = ["connect-failure", "refused-stream", "reset-before-request"];
  for (const r of exposed.filter((x) => !x.readOnly)) {
    expect([r.rpcPath, conditions(rpcRouteOf(r.rpcPath))]).toEqual([r.rpcPath, [...safe].sort()]);
    if (r.rest) expect([r.rest.path, conditions(restRouteOf(r.rest.verb, r.rest.path))]).toEqual([r.rest.path, [...safe].sort()]);
  }
});

test("read-only RPCs are also retried after a reset and on UNAVAILABLE (gRPC) or 503 (Connect)", () => {
  const all = ["connect-failure", "refused-stream", "reset-before-request", "reset", "unavailable", "retriable-status-codes"].sort();
  for (const r of exposed.filter((x) => x.readOnly)) {
    const rpc = rpcRouteOf(r.rpcPath);
    expect([r.rpcPath, conditions(rpc)]).toEqual([r.rpcPath, all]);
    expect(rpc?.route?.retry_policy?.retriable_status_codes).toEqual([503]);
    if (r.rest) expect([r.rest.path, conditions(restRouteOf(r.rest.verb, r.rest.path))]).toEqual([r.rest.path, all]);
  }
  expect(conditions(restRouteOf("POST", "/api/auth/login/"))).not.toContain("unavailable");
});

test("a retry goes to another replica, a bounded number of times, after a short back-off", () => {
  // The contract's routes; reflection (a tool's stream, not the API) is left without retries.
  for (const route of routes.filter((r) => r.route && /^(rest|rpc) /.test(r.name))) {
    const policy = route.route?.retry_policy;
    expect([route.name, policy?.num_retries]).toEqual([route.name, 2]);
    expect(policy?.retry_host_predicate?.[0]?.name).toBe("envoy.retry_host_predicates.previous_hosts");
    expect(policy?.retry_back_off).toEqual({ base_interval: "0.025s", max_interval: "0.25s" });
  }
  // The web server is not a replica set of the API: no retries there.
  expect(routes.filter((r) => r.route?.cluster === "web").every((r) => r.route?.retry_policy === undefined)).toBe(true);
});

test("each service cluster has a retry budget instead of a fixed retry count", () => {
  for (const name of ["auth", "profile", "friendship"]) {
    const [threshold] = cluster(name).circuit_breakers?.thresholds ?? [];
    expect(threshold?.retry_budget).toEqual({ budget_percent: { value: 20 }, min_retry_concurrency: 10 });
    expect(threshold?.max_retries).toBeUndefined();
  }
});

test("outlier detection ejects a replica on its first connection failure, never more than half of them", () => {
  for (const name of ["auth", "profile", "friendship"]) {
    const od = cluster(name).outlier_detection;
    expect(od).toMatchObject({
      split_external_local_origin_errors: true,
      consecutive_local_origin_failure: 1,
      enforcing_consecutive_local_origin_failure: 100,
      consecutive_gateway_failure: 2,
      enforcing_consecutive_gateway_failure: 100,
      max_ejection_percent: 50,
    });
  }
  expect(cluster("web").outlier_detection).toBeUndefined();
});

test("health checks run every second and one NOT_SERVING (a draining replica) marks it unhealthy", () => {
  for (const name of ["auth", "profile", "friendship"]) {
    const [check] = cluster(name).health_checks ?? [];
    expect(check).toMatchObject({ interval: "1s", timeout: "1s", unhealthy_threshold: 1, healthy_threshold: 1 });
    expect(check?.grpc_health_check?.authority).toBe(`${name}.identity.internal`);
  }
});

test("Envoy's own restart drains its connections gracefully", () => {
  expect(hcm?.drain_timeout).toBe("10s");
});
