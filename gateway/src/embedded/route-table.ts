// The embedded gateway's routes, rendered from the edge plan (edge-plan.ts) as Envoy's are
// (gateway/src/envoy/routes.ts): the RPCs the plan exposes, REST routes matching verb and path template
// exactly, literal paths before templated ones; each route keeps its plan (owner, limit class, token).
import type { Environment } from "@identity/shared/config.ts";
import { type EdgePlan, edgePlan, type PlannedRoute } from "../edge-plan.ts";
import { compilePathTemplate, type PathTemplate } from "./path-template.ts";

/** A planned route with a REST binding, and its compiled path template. */
export interface RestRoute extends PlannedRoute {
  template: PathTemplate;
}

export interface RouteTable {
  /** The REST route for a verb and path, with its path variables. */
  matchRest(verb: string, path: string): { route: RestRoute; params: Record<string, string> } | undefined;
  /** The exposed RPC at a gRPC/Connect path. */
  matchRpc(path: string): PlannedRoute | undefined;
}

export function buildRouteTable(plan: EdgePlan | Environment): RouteTable {
  const { routes } = typeof plan === "string" ? edgePlan(plan) : plan;
  const rest = routes
    .filter((p) => p.route.rest)
    .map((planned): RestRoute => ({ ...planned, template: compilePathTemplate(planned.route.rest?.path ?? "") }))
    .sort((a, b) => Number(b.template.literal) - Number(a.template.literal));
  const rpc = new Map(routes.map((p) => [p.route.rpcPath, p]));
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
