// The services' integration tests hold every refusal against the contract, as the REST contract suites do:
// a reason the RPC neither declares (identity.api.v1.policy `errors`) nor implies by its policy (the
// reason's scope) fails the test that got it, so a service cannot start answering what its contract, and
// the OpenAPI document made from it, do not say.
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { findRoute } from "@identity/proto/contract";
import { declaredAnswersOf } from "@identity/proto/declared-answers";
import { ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";

/** Why a refusal of `method` is not one its contract declares, or undefined when it is (or is no refusal). */
export function undeclaredReason(method: Parameters<typeof findRoute>[0], err: unknown): string | undefined {
  const route = findRoute(method);
  const reason = err instanceof ConnectError ? err.findDetails(ErrorInfoSchema)[0]?.reason : undefined;
  if (!route || reason === undefined || declaredAnswersOf(route).reasons.has(reason)) return undefined;
  return `${route.rpcPath} answered ${reason}, which its contract does not declare (identity.api.v1.policy errors)`;
}

/** A client interceptor: an undeclared refusal becomes an error that names it. */
export const declaredReasonsOnly: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    const undeclared = undeclaredReason(req.method, err);
    throw undeclared ? new Error(undeclared) : err;
  }
};
