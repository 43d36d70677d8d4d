// What an RPC may answer, as the contract declares it: its success status(es) (identity.api.v1.policy
// `success_status` and `alternative_statuses`) and the reasons of its refusals (the policy's `errors`, and
// the common reasons its policy implies by their identity.api.v1.ReasonScope). The contract tests hold every
// answer they see against this; the OpenAPI document is made from the same options.
import { getOption, hasOption } from "@bufbuild/protobuf";
import { policy } from "../gen/ts/identity/api/v1/policy_pb.js";
import type { ContractRoute } from "./contract.ts";
import { errorReasons, reasonName } from "./error-reasons.ts";
import { scopeCovers } from "./reason-facts.ts";

export interface DeclaredAnswers {
  /** The success statuses, the policy's own first. */
  successStatuses: readonly number[];
  /** The reasons a client may see (e.g. `TOKEN_NOT_VALID`), declared or implied. */
  reasons: ReadonlySet<string>;
}

export function declaredAnswersOf(route: ContractRoute): DeclaredAnswers {
  const option = hasOption(route.method, policy) ? getOption(route.method, policy) : undefined;
  const declared = (option?.errors ?? []).map((e) => reasonName(e.reason));
  const rpc = { access: route.access, hasInput: route.method.input.fields.length > 0, idempotencyKey: route.idempotencyKey };
  const implied = errorReasons.filter((facts) => scopeCovers(facts.scope, rpc)).map((facts) => facts.name);
  return {
    successStatuses: [route.successStatus, ...(option?.alternativeStatuses ?? []).map((a) => a.status)],
    reasons: new Set([...declared, ...implied]),
  };
}
