// Error answers: the google.rpc.Status JSON body the gateway writes, and per operation the statuses that
// apply, each described with what the RPC's comment says about it.

import { type ErrorMention, HTTP_STATUS_BY_GRPC_CODE } from "./comments.ts";
import type { JsonObject } from "./json-schema.ts";
import type { Access } from "./method-policy.ts";

export const STATUS_SCHEMA_NAME = "Status";

export const STATUS_SCHEMA: JsonObject = {
  description:
    "google.rpc.Status as JSON. `details` carries a google.rpc.ErrorInfo whose `reason` is stable (UPPER_SNAKE_CASE, " +
    "e.g. `TOKEN_NOT_VALID`) and, for invalid input, a google.rpc.BadRequest whose `field_violations` name each field at fault.",
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

const IMPLIED: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT: the request breaks a validation rule (google.rpc.BadRequest in details) or has an unknown field.",
  401: "UNAUTHENTICATED: no valid access token (Authorization: Bearer).",
  404: "Not served: development-only routes do not exist when ENVIRONMENT=prod.",
  413: "The request body is larger than the gateway accepts (64 KiB).",
};

export interface ErrorContext {
  access: Access;
  /** Whether the request has any field: a request that takes input can be rejected as invalid. */
  hasInput: boolean;
  /** Whether the operation takes a JSON body: a body over the limit is refused (413). */
  hasBody?: boolean;
  mentions: ErrorMention[];
  /** The operation takes an Idempotency-Key header, which adds its own 409 answers. */
  idempotencyKey?: boolean;
}

export const IDEMPOTENCY_CONFLICT =
  "ABORTED (Idempotency-Key): IDEMPOTENCY_KEY_REUSED when the key was used with a different request, IDEMPOTENCY_KEY_IN_PROGRESS (with retry-after) while the first request with the key is still running.";

/** The error responses of one operation, by status, then `default`. */
export function errorResponses(context: ErrorContext): JsonObject {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, text: string) => {
    const texts = byStatus.get(status) ?? [];
    if (!texts.includes(text)) texts.push(text);
    byStatus.set(status, texts);
  };
  for (const { code, detail } of context.mentions) {
    add(HTTP_STATUS_BY_GRPC_CODE[code] as number, detail ? `${code}: ${detail}.` : `${code}.`);
  }
  if (context.hasInput && !byStatus.has(400)) add(400, IMPLIED[400] as string);
  if ((context.access === "ACCESS_USER" || context.access === "ACCESS_USER_OPTIONAL") && !byStatus.has(401))
    add(401, IMPLIED[401] as string);
  if (context.access === "ACCESS_DEV") add(404, IMPLIED[404] as string);
  if (context.hasBody) add(413, IMPLIED[413] as string);
  if (context.idempotencyKey) add(409, IDEMPOTENCY_CONFLICT);
  const out: JsonObject = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    out[String(status)] = statusResponse((byStatus.get(status) as string[]).join(" "));
  }
  out.default = statusResponse("Any other error (e.g. 503 UNAVAILABLE, 500 INTERNAL), as a google.rpc.Status.");
  return out;
}

function statusResponse(description: string): JsonObject {
  return {
    description,
    content: { "application/json": { schema: { $ref: `#/components/schemas/${STATUS_SCHEMA_NAME}` } } },
  };
}
