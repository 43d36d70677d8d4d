// Errors as REST clients see them, the same through Envoy and the embedded gateway: the HTTP status from
// the gRPC/Connect code (the edge plan's, after the spec's "Errors" convention) and a google.rpc.Status JSON
// body whose details are printed with their proto field names (`field_violations`, `retry_delay`), as Envoy's
// transcoder prints them (preserve_proto_field_names).
import { create, createRegistry, fromBinary, type JsonValue, toBinary, toJson } from "@bufbuild/protobuf";
import { Code, type ConnectError } from "@connectrpc/connect";
import { type ErrorReason, type MessageChoice, reasonFacts, reasonMessage } from "@identity/proto/error-reasons";
import {
  BadRequestSchema,
  DebugInfoSchema,
  ErrorInfoSchema,
  HelpSchema,
  LocalizedMessageSchema,
  PreconditionFailureSchema,
  QuotaFailureSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
  RetryInfoSchema,
} from "@identity/proto/google/rpc/error_details_pb.js";
import { OPAQUE_MESSAGE } from "@identity/shared/errors.ts";
import { httpStatusOf } from "../edge-plan.ts";

/** The error domain of ErrorInfo details made by the gateway itself (the services' is the same). */
export const GATEWAY_ERROR_DOMAIN = "identity-platform";

const detailRegistry = createRegistry(
  ErrorInfoSchema,
  BadRequestSchema,
  RetryInfoSchema,
  PreconditionFailureSchema,
  QuotaFailureSchema,
  ResourceInfoSchema,
  RequestInfoSchema,
  HelpSchema,
  LocalizedMessageSchema,
  DebugInfoSchema,
);

/** Details that never leave the platform, whoever put them there. */
const privateDetails = new Set<string>([DebugInfoSchema.typeName]);

/** The HTTP status of an error's code, as the edge plan has it for both gateways. */
export { httpStatusOf };

export interface StatusJson {
  code: number;
  message: string;
  details: JsonValue[];
}

function detailJson(typeName: string, value: Uint8Array): JsonValue | undefined {
  if (privateDetails.has(typeName)) return undefined;
  const desc = detailRegistry.getMessage(typeName);
  if (!desc) return undefined;
  const json = toJson(desc, fromBinary(desc, value), { useProtoFieldName: true }) as Record<string, JsonValue>;
  return { "@type": `type.googleapis.com/${typeName}`, ...json };
}

/** The google.rpc.Status JSON of an error a service answered (or any ConnectError). */
export function statusJsonOf(err: ConnectError): StatusJson {
  const details: JsonValue[] = [];
  for (const detail of err.details) {
    const [typeName, bytes] =
      "desc" in detail
        ? [detail.desc.typeName, toBinary(detail.desc, create(detail.desc, detail.value as never))]
        : [detail.type, detail.value];
    const json = detailJson(typeName, bytes);
    if (json !== undefined) details.push(json);
  }
  // Internal errors carry no detail worth showing; the services already made their message opaque.
  // Transport failures (connection refused...) arrive as UNAVAILABLE with a message naming addresses.
  const message =
    err.code === Code.Internal || err.code === Code.Unknown
      ? OPAQUE_MESSAGE
      : err.code === Code.Unavailable
        ? UNAVAILABLE_MESSAGE
        : err.rawMessage;
  return { code: err.code, message, details };
}

/** What a client reads when a service cannot be reached: no address, no transport detail. */
export const UNAVAILABLE_MESSAGE = "service unavailable";

/** An error made by the gateway itself: a status, a reason, no other detail. */
export function gatewayStatus(code: Code, message: string, reason?: string): StatusJson {
  const details: JsonValue[] = reason
    ? [{ "@type": `type.googleapis.com/${ErrorInfoSchema.typeName}`, reason, domain: GATEWAY_ERROR_DOMAIN }]
    : [];
  return { code, message, details };
}

/** A gateway refusal with one of the contract's reasons: its code, reason and words. */
export function reasonStatus(reason: ErrorReason, choice?: MessageChoice): StatusJson {
  const facts = reasonFacts(reason);
  return gatewayStatus(facts.code as number as Code, reasonMessage(reason, choice), facts.name);
}
