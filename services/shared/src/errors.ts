// Domain errors carry a stable reason (UPPER_SNAKE_CASE) that clients switch on, and a Connect code.
// They are mapped to ConnectError in exactly one place (toConnectError), with google.rpc.ErrorInfo,
// google.rpc.BadRequest and google.rpc.RetryInfo details, so REST clients get a google.rpc.Status body.
// Anything else (ORM, driver, bugs) becomes a bare "internal error": no stack, SQL or names leak out.
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@identity/proto/google/rpc/error_details_pb.js";
import { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyDown } from "./rpc/dependency-down.ts";

export const ERROR_DOMAIN = "identity-platform";

export interface FieldViolation {
  field: string;
  description: string;
}

export class DomainError extends Error {
  readonly code: Code;
  readonly reason: string;
  readonly violations: readonly FieldViolation[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: Code, reason: string, message: string, extra: { violations?: FieldViolation[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.reason = reason;
    this.violations = extra.violations ?? [];
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const invalidArgument = (reason: string, message: string, field?: string): DomainError =>
  new DomainError(Code.InvalidArgument, reason, message, field ? { violations: [{ field, description: message }] } : {});
export const unauthenticated = (reason: string, message: string): DomainError => new DomainError(Code.Unauthenticated, reason, message);
export const permissionDenied = (reason: string, message: string): DomainError => new DomainError(Code.PermissionDenied, reason, message);
export const notFound = (reason: string, message: string): DomainError => new DomainError(Code.NotFound, reason, message);
export const alreadyExists = (reason: string, message: string, field?: string): DomainError =>
  new DomainError(Code.AlreadyExists, reason, message, field ? { violations: [{ field, description: message }] } : {});
export const failedPrecondition = (reason: string, message: string): DomainError =>
  new DomainError(Code.FailedPrecondition, reason, message);
export const resourceExhausted = (reason: string, message: string, retryAfterSeconds: number): DomainError =>
  new DomainError(Code.ResourceExhausted, reason, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });

/** A throttle's refusal: 429 RATE_LIMITED with retry-after, the one reason of every counted action. */
export const rateLimited = (retryAfterSeconds: number): DomainError =>
  resourceExhausted(
    "RATE_LIMITED",
    `Request was throttled. Expected available in ${Math.max(1, Math.ceil(retryAfterSeconds))} seconds.`,
    retryAfterSeconds,
  );

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
      return new ConnectError("internal error", err.code);
    }
    return err;
  }
  log(err);
  // The database is down or restarting: 503 with a retry hint, not a 500 (the transaction was rolled back).
  if (isDependencyDown(err)) {
    return domainToConnectError(
      new DomainError(Code.Unavailable, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable; retry later.", {
        retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
      }),
    );
  }
  return new ConnectError("internal error", Code.Internal);
}
