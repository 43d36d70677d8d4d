// Domain errors carry a stable reason (UPPER_SNAKE_CASE) that clients switch on, and a Connect code; both,
// and the message, come from the contract (errors.proto), so a call site names only the reason.
// They are mapped to ConnectError in exactly one place (toConnectError), with google.rpc.ErrorInfo,
// google.rpc.BadRequest and google.rpc.RetryInfo details, so REST clients get a google.rpc.Status body.
// Anything else (ORM, driver, bugs) becomes a bare "internal error": no stack, SQL or names leak out.
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorReason, type MessageChoice, reasonFacts, reasonMessage, reasonName } from "@identity/proto/error-reasons";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@identity/proto/google/rpc/error_details_pb.js";
import { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyDown } from "./rpc/dependency-down.ts";

export const ERROR_DOMAIN = "identity-platform";

export { ErrorReason, reasonName };

export interface FieldViolation {
  field: string;
  description: string;
}

export interface ErrorDetails extends MessageChoice {
  /** The request field at fault: named in a google.rpc.BadRequest, described with the message. */
  field?: string;
  /** Every field at fault, each with its own description (request validation). */
  violations?: FieldViolation[];
  /** When a retry may succeed: a retry-after header and a google.rpc.RetryInfo. */
  retryAfterSeconds?: number;
}

/** An error a client may see: its reason, code and message are the contract's (errors.proto). */
export class DomainError extends Error {
  readonly code: Code;
  /** What clients switch on, e.g. `TOKEN_NOT_VALID`. */
  readonly reason: string;
  readonly violations: readonly FieldViolation[];
  readonly retryAfterSeconds: number | undefined;

  constructor(reason: ErrorReason, details: ErrorDetails = {}) {
    const facts = reasonFacts(reason);
    const message = reasonMessage(reason, details);
    super(message);
    this.name = "DomainError";
    // google.rpc.Code and Connect's Code number the codes alike.
    this.code = facts.code as number as Code;
    this.reason = facts.name;
    this.violations = details.violations ?? (details.field ? [{ field: details.field, description: message }] : []);
    this.retryAfterSeconds = details.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(details.retryAfterSeconds));
  }
}

export const domainError = (reason: ErrorReason, details?: ErrorDetails): DomainError => new DomainError(reason, details);

/** A throttle's refusal: 429 RATE_LIMITED with retry-after, the one reason of every counted action. */
export const rateLimited = (retryAfterSeconds: number): DomainError => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return domainError(ErrorReason.RATE_LIMITED, { variant: "throttled", params: { seconds }, retryAfterSeconds: seconds });
};

/** The ConnectError a client sees for a domain error. */
export function domainToConnectError(err: DomainError): ConnectError {
  const details: ConstructorParameters<typeof ConnectError>[3] & object = [
    { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason: err.reason, domain: ERROR_DOMAIN }) },
  ];
  if (err.violations.length > 0) {
    details.push({
      desc: BadRequestSchema,
      value: create(BadRequestSchema, {
        fieldViolations: err.violations.map((v) =>
          create(BadRequest_FieldViolationSchema, { field: v.field, description: v.description, reason: err.reason }),
        ),
      }),
    });
  }
  const metadata = new Headers();
  if (err.retryAfterSeconds !== undefined) {
    details.push({ desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: durationFromMs(err.retryAfterSeconds * 1000) }) });
    metadata.set("retry-after", String(err.retryAfterSeconds));
  }
  return new ConnectError(err.message, err.code, metadata, details);
}

/** The whole message of an error whose detail must not leak (the gateways answer it too). */
export const OPAQUE_MESSAGE = "internal error";

/** Generic messages for codes whose detail must not leak. */
const opaque = new Set([Code.Internal, Code.Unknown, Code.DataLoss]);

/**
 * Maps anything thrown by a handler to what the client may see. `log` receives the errors that are bugs or
 * infrastructure failures, with their stack, so that they are visible to operators and not to callers.
 */
export function toConnectError(err: unknown, log: (err: unknown) => void): ConnectError {
  if (err instanceof DomainError) return domainToConnectError(err);
  if (err instanceof ConnectError) {
    if (opaque.has(err.code)) {
      log(err);
      return new ConnectError(OPAQUE_MESSAGE, err.code);
    }
    return err;
  }
  log(err);
  // The database is down or restarting: 503 with a retry hint, not a 500 (the transaction was rolled back).
  if (isDependencyDown(err)) {
    return domainToConnectError(domainError(ErrorReason.SERVICE_UNAVAILABLE, { retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS }));
  }
  return new ConnectError(OPAQUE_MESSAGE, Code.Internal);
}
