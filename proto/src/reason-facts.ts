// Reads the contract's error reasons (identity.api.v1.ErrorReason and its reason_info option) from any
// descriptor of them: the generated code at run time (error-reasons.ts), or the descriptors protoc hands the
// OpenAPI plugin, which runs before the generated code exists. No generated code is imported here.
import { type DescEnum, type DescExtension, getOption, hasOption } from "@bufbuild/protobuf";
import type { ErrorReasonInfo } from "../gen/ts/identity/api/v1/errors_pb.js";
import type { AccessLevel } from "./contract.ts";

/** Which RPCs may answer a reason without declaring it (identity.api.v1.ReasonScope, without its prefix). */
export type ReasonScope = "unspecified" | "gateway" | "input" | "access_token" | "user" | "service" | "idempotency_key";

export interface ReasonFacts {
  /** The enum value's number (identity.api.v1.ErrorReason). */
  reason: number;
  /** What clients switch on: the enum value's name without its ERROR_REASON_ prefix, e.g. `TOKEN_NOT_VALID`. */
  name: string;
  /** The gRPC code (google.rpc.Code; Connect's `Code` numbers the codes alike). */
  code: number;
  /** The message; `{name}` placeholders are filled by the caller. */
  message: string;
  /** Other wordings of the reason, by name. */
  variants: Readonly<Record<string, string>>;
  scope: ReasonScope;
}

const REASON_PREFIX = "ERROR_REASON_";
const SCOPE_PREFIX = "REASON_SCOPE_";

/** Every reason of the enum but UNSPECIFIED, in the contract's order. */
export function readReasonFacts(reasons: DescEnum, reasonInfo: DescExtension): ReasonFacts[] {
  const scopeEnum = reasonInfo.message?.fields.find((f) => f.name === "scope")?.enum;
  return reasons.values
    .filter((value) => value.number !== 0)
    .map((value) => {
      // A reason without its facts is a contract bug: fail at start-up, not at the first error.
      if (!hasOption(value, reasonInfo)) throw new Error(`${value.name} has no identity.api.v1.reason_info`);
      const info = getOption(value, reasonInfo) as ErrorReasonInfo;
      const scopeName = scopeEnum?.values.find((v) => v.number === info.scope)?.name ?? `${SCOPE_PREFIX}UNSPECIFIED`;
      return {
        reason: value.number,
        name: value.name.slice(REASON_PREFIX.length),
        code: info.code,
        message: info.message,
        variants: { ...info.variants },
        scope: scopeName.slice(SCOPE_PREFIX.length).toLowerCase() as ReasonScope,
      };
    });
}

/** What an RPC's policy and request say, as far as the common reasons go. */
export interface RpcShape {
  /** Undefined for an RPC without a policy. */
  access: AccessLevel | undefined;
  /** The request has fields. */
  hasInput: boolean;
  idempotencyKey: boolean;
}

/** Whether an RPC may answer a reason of this scope without declaring it. */
export function scopeCovers(scope: ReasonScope, rpc: RpcShape): boolean {
  switch (scope) {
    case "gateway":
      return true;
    case "input":
      return rpc.hasInput;
    case "access_token":
      return rpc.access === "user" || rpc.access === "user_optional";
    case "user":
      return rpc.access === "user";
    case "service":
      return rpc.access === "service";
    case "idempotency_key":
      return rpc.idempotencyKey;
    case "unspecified":
      return false;
  }
}
