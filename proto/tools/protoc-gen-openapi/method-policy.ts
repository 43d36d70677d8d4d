// The contract's own method option, identity.api.v1.policy: who may call an RPC, its REST success status(es),
// whether it takes an Idempotency-Key header, and the refusals it declares.
import { type DescMethod, getOption, hasOption, type Registry } from "@bufbuild/protobuf";
import type { MethodPolicy as PolicyOption } from "../../gen/ts/identity/api/v1/policy_pb.js";
import type { AccessLevel } from "../../src/contract.ts";
import { type ReasonFacts, readReasonFacts } from "../../src/reason-facts.ts";

export type Access = "ACCESS_UNSPECIFIED" | "ACCESS_PUBLIC" | "ACCESS_USER" | "ACCESS_SERVICE" | "ACCESS_DEV" | "ACCESS_USER_OPTIONAL";

/** A refusal the RPC declares, with when it is answered. */
export interface DeclaredError {
  facts: ReasonFacts;
  when: string;
}

export interface MethodPolicy {
  access: Access;
  /** 200 unless the option says otherwise. */
  successStatus: number;
  /** Other success statuses, each with the sentence that says when. */
  alternativeStatuses: ReadonlyMap<number, string>;
  /** Takes an `Idempotency-Key` header. */
  idempotencyKey: boolean;
  errors: readonly DeclaredError[];
}

/** The access level as contract.ts names it (`ACCESS_USER_OPTIONAL` is `user_optional`). */
export const accessLevelOf = (access: Access): AccessLevel | undefined =>
  access === "ACCESS_UNSPECIFIED" ? undefined : (access.replace(/^ACCESS_/, "").toLowerCase() as AccessLevel);

/** Every error reason of the contract, read from the request's descriptors. */
export function reasonFactsOf(registry: Registry): ReasonFacts[] {
  const reasons = registry.getEnum("identity.api.v1.ErrorReason");
  const info = registry.getExtension("identity.api.v1.reason_info");
  return reasons && info ? readReasonFacts(reasons, info) : [];
}

export function methodPolicyOf(method: DescMethod, registry: Registry, reasons: readonly ReasonFacts[]): MethodPolicy {
  const extension = registry.getExtension("identity.api.v1.policy");
  const accessEnum = registry.getEnum("identity.api.v1.Access");
  if (!extension || !hasOption(method, extension))
    return { access: "ACCESS_UNSPECIFIED", successStatus: 200, alternativeStatuses: new Map(), idempotencyKey: false, errors: [] };
  const policy = getOption(method, extension) as PolicyOption;
  const accessName = accessEnum?.values.find((v) => v.number === policy.access)?.name ?? "ACCESS_UNSPECIFIED";
  const errors = policy.errors.map(({ reason, when }): DeclaredError => {
    const facts = reasons.find((r) => r.reason === reason);
    if (!facts) throw new Error(`${method.parent.typeName}.${method.name} declares the unknown error reason ${reason}`);
    return { facts, when };
  });
  return {
    access: accessName as Access,
    successStatus: policy.successStatus || 200,
    alternativeStatuses: new Map(policy.alternativeStatuses.map((a) => [a.status, a.when])),
    idempotencyKey: policy.idempotencyKey === true,
    errors,
  };
}
