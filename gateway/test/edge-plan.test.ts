// The edge plan both gateways render: its facts here, and that each gateway renders the same plan (the
// Envoy route table and the embedded route table expose the same RPCs with the same limit and token).
import { Code } from "@connectrpc/connect";
import { routes as contractRoutes, services } from "@identity/proto/contract";
import { ErrorReason } from "@identity/proto/error-reasons";
import { edgePlan, httpStatusOf, httpStatusOfReason, owners, reflection, statusOverrides, transcodedStatusOf } from "../src/edge-plan.ts";
import { buildRouteTable } from "../src/embedded/route-table.ts";
import { luaStatusOverrides } from "../src/envoy/gateway-lua.ts";
import { renderEnvoyConfig } from "../src/envoy/render.ts";
import type { Route } from "../src/envoy/types.ts";
import { testOptions } from "./envoy/fixtures.ts";

const byRpc = (plan: ReturnType<typeof edgePlan>) => new Map(plan.routes.map((p) => [p.route.rpcPath, p]));

test("the owners are the contract's service processes, each with the proto services it owns", () => {
  expect(owners).toEqual(["auth", "profile", "friendship"]);
  const plan = edgePlan("dev");
  expect(plan.owners.map((o) => o.owner)).toEqual(owners);
  expect(plan.owners.flatMap((o) => o.services).sort()).toEqual(services.map((s) => s.service.typeName).sort());
  expect(plan.owners.find((o) => o.owner === "friendship")?.services).toContain("identity.friendship.v1.FriendGraphService");
});

test("service-to-service RPCs are never exposed; development tools only in dev", () => {
  const dev = byRpc(edgePlan("dev"));
  const prod = byRpc(edgePlan("prod"));
  for (const route of contractRoutes) {
    const expected = route.access === "service" ? [false, false] : route.access === "dev" ? [true, false] : [true, true];
    expect([dev.has(route.rpcPath), prod.has(route.rpcPath)]).toEqual(expected);
  }
  expect(edgePlan("prod").exposedServices).not.toContain("identity.dev.v1.DevMailService");
  expect(edgePlan("dev").exposedServices).toContain("identity.dev.v1.DevMailService");
  expect(edgePlan("dev").exposedServices).not.toContain("identity.profile.v1.UserLookupService");
});

test("AuthService's RPCs have the stricter limit; tokens follow the access level", () => {
  const plan = byRpc(edgePlan("dev"));
  expect(plan.get("/identity.auth.v1.AuthService/Login")).toMatchObject({ owner: "auth", limitClass: "auth", token: "none" });
  expect(plan.get("/identity.dev.v1.DevMailService/ListMail")?.limitClass).toBe("default");
  expect(plan.get("/identity.profile.v1.ProfileService/GetMyProfile")).toMatchObject({ limitClass: "default", token: "required" });
  expect(plan.get("/identity.auth.v1.AuthService/ResendVerificationCode")?.token).toBe("optional");
  expect(reflection).toEqual({ owner: "auth", limitClass: "default" });
});

test("FAILED_PRECONDITION is 409, where the transcoder says 400; every other code keeps the transcoder's status", () => {
  expect(transcodedStatusOf(Code.FailedPrecondition)).toBe(400);
  expect(httpStatusOf(Code.FailedPrecondition)).toBe(409);
  for (const code of [Code.InvalidArgument, Code.NotFound, Code.AlreadyExists, Code.Unauthenticated, Code.Unavailable])
    expect(httpStatusOf(code)).toBe(transcodedStatusOf(code));
  expect(statusOverrides.every((o) => httpStatusOf(o.code) === o.status)).toBe(true);
});

test("the refusals HTTP names itself keep HTTP's status; every other reason answers its code's", () => {
  expect(httpStatusOfReason(ErrorReason.REQUEST_TOO_LARGE)).toBe(413);
  expect(httpStatusOfReason(ErrorReason.METHOD_NOT_ALLOWED)).toBe(405);
  expect(httpStatusOfReason(ErrorReason.RATE_LIMITED)).toBe(429);
  expect(httpStatusOfReason(ErrorReason.TOKEN_NOT_VALID)).toBe(401);
  expect(httpStatusOfReason(ErrorReason.FRIEND_REQUEST_ALREADY_DECIDED)).toBe(httpStatusOf(Code.FailedPrecondition));
});

test("Envoy's Lua filter gets the same overrides, grouped by the status the transcoder answered", () => {
  expect(luaStatusOverrides()).toBe('{ ["400"] = { [9] = "409" } }');
  expect(
    luaStatusOverrides([
      { code: Code.FailedPrecondition, status: 409 },
      { code: Code.OutOfRange, status: 416 },
      { code: Code.PermissionDenied, status: 404 },
    ]),
  ).toBe('{ ["400"] = { [9] = "409", [11] = "416" }, ["403"] = { [7] = "404" } }');
});

test("both gateways render the same plan: the same RPCs, owners, limit classes and token requirements", () => {
  for (const environment of ["dev", "prod"] as const) {
    const options = { ...testOptions(), environment };
    const envoyRoutes = renderEnvoyConfig(options).static_resources.listeners[0]?.filter_chains[0]?.filters[0]?.typed_config.route_config
      .virtual_hosts[0]?.routes as Route[];
    const envoyRpc = envoyRoutes.filter((r) => r.name.startsWith("rpc "));
    const embedded = buildRouteTable(environment);
    const plan = edgePlan(environment);
    expect(envoyRpc.map((r) => r.match.path)).toEqual(plan.routes.map((p) => p.route.rpcPath));
    for (const route of envoyRpc) {
      const planned = embedded.matchRpc(route.match.path ?? "");
      expect(route.route?.cluster).toBe(planned?.owner);
      const limit = route.typed_per_filter_config?.["envoy.filters.http.local_ratelimit"];
      expect(limit && "stat_prefix" in limit ? limit.stat_prefix : undefined).toBe(`ratelimit_${planned?.limitClass}`);
      const jwt = route.typed_per_filter_config?.["envoy.filters.http.jwt_authn"];
      const token = jwt && "requirement_name" in jwt ? jwt.requirement_name : "none";
      expect(token).toBe({ required: "access_token", optional: "access_token_if_any", none: "none" }[planned?.token ?? "none"]);
    }
  }
});
