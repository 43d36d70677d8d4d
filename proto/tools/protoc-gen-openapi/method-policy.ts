// The contract's own method option, identity.api.v1.policy: who may call an RPC, its REST success status, and
// whether it takes an Idempotency-Key header.
import { type DescMethod, getOption, hasOption, type Registry } from "@bufbuild/protobuf";

export type Access = "ACCESS_UNSPECIFIED" | "ACCESS_PUBLIC" | "ACCESS_USER" | "ACCESS_SERVICE" | "ACCESS_DEV" | "ACCESS_USER_OPTIONAL";

export interface MethodPolicy {
  access: Access;
  /** 200 unless the option says otherwise. */
  successStatus: number;
  /** Takes an `Idempotency-Key` header. */
  idempotencyKey: boolean;
}

export function methodPolicyOf(method: DescMethod, registry: Registry): MethodPolicy {
  const extension = registry.getExtension("identity.api.v1.policy");
  const accessEnum = registry.getEnum("identity.api.v1.Access");
  if (!extension || !hasOption(method, extension)) return { access: "ACCESS_UNSPECIFIED", successStatus: 200, idempotencyKey: false };
  const policy = getOption(method, extension) as unknown as { access: number; successStatus: number; idempotencyKey: boolean };
  const accessName = accessEnum?.values.find((v) => v.number === policy.access)?.name ?? "ACCESS_UNSPECIFIED";
  return { access: accessName as Access, successStatus: policy.successStatus || 200, idempotencyKey: policy.idempotencyKey === true };
}
