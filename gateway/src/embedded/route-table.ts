// The embedded gateway's routes, derived from the contract (proto/src/contract.ts) by the same rules as
// Envoy's (gateway/src/envoy/routes.ts): an RPC is reachable from outside unless it is service-to-service
// (ACCESS_SERVICE) or a development tool outside dev; REST routes match verb and path template exactly,
// literal paths before templated ones; AuthService has the stricter rate limit.
import { type ContractRoute, routes as contractRoutes } from "@identity/proto/contract";
import { compilePathTemplate, type PathTemplate } from "./path-template.ts";

export type LimitClass = "auth" | "default";

export interface RestRoute {
  route: ContractRoute;
  template: PathTemplate;
}

export interface RouteTable {
  /** The REST route for a verb and path, with its path variables. */
  matchRest(verb: string, path: string): { route: RestRoute; params: Record<string, string> } | undefined;
  /** The routable RPC at a gRPC/Connect path. */
  matchRpc(path: string): ContractRoute | undefined;
}

export function isRoutable(route: ContractRoute, environment: "dev" | "prod"): boolean {
  if (route.access === "service") return false;
  if (route.access === "dev") return environment === "dev";
  return true;
}

export const limitClassOf = (route: ContractRoute): LimitClass => (route.service.name === "AuthService" ? "auth" : "default");

export function buildRouteTable(environment: "dev" | "prod", routes: readonly ContractRoute[] = contractRoutes): RouteTable {
  const exposed = routes.filter((r) => isRoutable(r, environment));
  const rest = exposed
    .filter((r) => r.rest)
    .map((route) => ({ route, template: compilePathTemplate(route.rest?.path ?? "") }))
    .sort((a, b) => Number(b.template.literal) - Number(a.template.literal));
  const rpc = new Map(exposed.map((r) => [r.rpcPath, r]));
  return {
    matchRest(verb, path) {
      for (const candidate of rest) {
        if (candidate.route.rest?.verb !== verb) continue;
        const params = candidate.template.match(path);
        if (params) return { route: candidate, params };
      }
      return undefined;
    },
    matchRpc: (path) => rpc.get(path),
  };
}
