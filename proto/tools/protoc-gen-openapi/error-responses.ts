// Error answers: the google.rpc.Status JSON body the gateway writes, and per operation the statuses that
// apply: the reasons the RPC declares (identity.api.v1.policy `errors`) and the common reasons its policy
// implies (identity.api.v1.ReasonScope), each with its words from the contract.

import { httpStatusOfCode } from "../../src/http-status.ts";
import { type ReasonFacts, type ReasonScope, scopeCovers } from "../../src/reason-facts.ts";
import type { JsonObject } from "./json-schema.ts";
import { type Access, accessLevelOf, type DeclaredError } from "./method-policy.ts";

export const STATUS_SCHEMA_NAME = "Status";

export const STATUS_SCHEMA: JsonObject = {
  description:
    "google.rpc.Status as JSON. `details` carries a google.rpc.ErrorInfo whose `reason` is stable (UPPER_SNAKE_CASE; " +
    "each operation's answers list theirs) and, for invalid input, a google.rpc.BadRequest whose `field_violations` name each field at fault.",
  type: "object",
  properties: {
    code: {
      description: "The gRPC status code (3 invalid argument, 16 unauthenticated, ...).",
      type: "integer",
      format: "int32",
    },
    message: { description: "A human-readable explanation.", type: "string" },
    details: {
      type: "array",
      items: {
        description: "A packed message: `@type` names it, the other keys are its fields.",
        type: "object",
        properties: {
          "@type": {
            type: "string",
            examples: ["type.googleapis.com/google.rpc.ErrorInfo", "type.googleapis.com/google.rpc.BadRequest"],
          },
        },
        required: ["@type"],
        additionalProperties: true,
      },
    },
  },
  required: ["code", "message", "details"],
};

// Statuses the gateways answer that do not follow from a reason's code: a development route in production is
// not there at all, and an oversized body is 413 (the edge's status override), whatever its reason's code says.
const NOT_SERVED = "Not served: development-only routes do not exist when ENVIRONMENT=prod.";
const TOO_LARGE = "The request body is larger than the gateway accepts (64 KiB).";

// What the common reasons' messages leave unsaid.
const SCOPE_NOTES: Partial<Record<ReasonScope, string>> = {
  input: "the request breaks a validation rule or has an unknown field; a google.rpc.BadRequest in details names each field at fault",
  user: "no access token in the Authorization header",
};

export interface ErrorContext {
  access: Access;
  /** Whether the request has any field: a request that takes input can be rejected as invalid. */
  hasInput: boolean;
  /** Whether the operation takes a JSON body: a body over the limit is refused (413). */
  hasBody?: boolean;
  /** The operation takes an Idempotency-Key header, which adds its own answers. */
  idempotencyKey?: boolean;
  /** The refusals the RPC declares. */
  declared: readonly DeclaredError[];
  /** Every reason of the contract: the common ones the RPC's policy implies are taken from it. */
  reasons: readonly ReasonFacts[];
}

/** One reason as a line of an answer's description: its name, when, and its messages. */
function reasonLine({ facts, when }: DeclaredError): string {
  const messages = [facts.message, ...Object.values(facts.variants)].map((m) => `"${m}"`).join(" or ");
  return `- \`${facts.name}\`${when ? ` (${when})` : ""}: ${messages}`;
}

/**
 * The common reasons an RPC may answer without declaring them. The gateways' own refusals (scope `gateway`)
 * apply to every operation and are left to `default`.
 */
function commonReasonsOf(context: ErrorContext): DeclaredError[] {
  const rpc = { access: accessLevelOf(context.access), hasInput: context.hasInput, idempotencyKey: context.idempotencyKey === true };
  return context.reasons
    .filter((facts) => facts.scope !== "gateway" && scopeCovers(facts.scope, rpc))
    .map((facts) => ({ facts, when: SCOPE_NOTES[facts.scope] ?? "" }));
}

/** The error responses of one operation, by status, then `default`. */
export function errorResponses(context: ErrorContext): JsonObject {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, text: string) => {
    const texts = byStatus.get(status) ?? [];
    if (!texts.includes(text)) texts.push(text);
    byStatus.set(status, texts);
  };
  const declared = new Set(context.declared.map((d) => d.facts.reason));
  const common = commonReasonsOf(context).filter((c) => !declared.has(c.facts.reason));
  for (const answer of [...context.declared, ...common]) add(httpStatusOfCode(answer.facts.code), reasonLine(answer));
  if (context.access === "ACCESS_DEV") add(404, `- ${NOT_SERVED}`);
  if (context.hasBody) add(413, `- ${TOO_LARGE}`);
  const out: JsonObject = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    out[String(status)] = statusResponse((byStatus.get(status) as string[]).join("\n"));
  }
  const gateway = context.reasons.filter((facts) => facts.scope === "gateway").map((facts) => `\`${facts.name}\``);
  out.default = statusResponse(
    `Any other error, as a google.rpc.Status: a refusal any request may meet at the gateway (${gateway.join(", ")}), or 500 INTERNAL.`,
  );
  return out;
}

function statusResponse(description: string): JsonObject {
  return {
    description,
    content: { "application/json": { schema: { $ref: `#/components/schemas/${STATUS_SCHEMA_NAME}` } } },
  };
}
