// Every answer a suite sees must be one the contract declares for its route: a success status of the RPC's
// policy (success_status, alternative_statuses) or a refusal whose reason the RPC declares (policy `errors`)
// or its policy implies (the reason's scope). A service that starts answering something its contract does
// not say fails the suite that saw it, so the OpenAPI document, made from the same options, cannot drift.
import { routes } from "@identity/proto/contract";
import { type DeclaredAnswers, declaredAnswersOf } from "@identity/proto/declared-answers";

interface RestRoute {
  verb: string;
  pattern: RegExp;
  rpc: string;
  answers: DeclaredAnswers;
}

const restRoutes: RestRoute[] = routes.flatMap((route) => {
  if (!route.rest) return [];
  const source = route.rest.path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("");
  return [{ verb: route.rest.verb, pattern: new RegExp(`^${source}$`), rpc: route.rpcPath, answers: declaredAnswersOf(route) }];
});

/** The google.rpc.ErrorInfo reason of a google.rpc.Status JSON body, if it has one. */
function reasonOf(body: unknown): string | undefined {
  const details = (body as { details?: unknown } | undefined)?.details;
  if (!Array.isArray(details)) return undefined;
  const info = details.find((d: { "@type"?: string }) => d?.["@type"]?.endsWith("/google.rpc.ErrorInfo"));
  return typeof info?.reason === "string" ? info.reason : undefined;
}

/**
 * What is wrong with an answer to `method path`, or undefined when the contract declares it. Paths that are
 * no route of the contract (the docs, unknown paths, other methods) are not checked here.
 */
export function undeclaredAnswer(method: string, path: string, status: number, body: unknown): string | undefined {
  const bare = path.split("?")[0] as string;
  const route = restRoutes.find((r) => r.verb === method.toUpperCase() && r.pattern.test(bare));
  if (!route) return undefined;
  if (status >= 200 && status < 300) {
    return route.answers.successStatuses.includes(status)
      ? undefined
      : `${method} ${bare} answered ${status}; ${route.rpc} declares ${route.answers.successStatuses.join(", ")}`;
  }
  const reason = reasonOf(body);
  if (status < 400 || reason === undefined || route.answers.reasons.has(reason)) return undefined;
  return `${method} ${bare} answered ${status} ${reason}, which ${route.rpc} does not declare (identity.api.v1.policy errors)`;
}
