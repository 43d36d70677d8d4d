import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";

/** A ConnectError shaped like the platform's answers: google.rpc.ErrorInfo and/or BadRequest details. */
export function apiError(options: { code: Code; message?: string; reason?: string; violations?: Record<string, string> }): ConnectError {
  const details = [];
  if (options.reason) {
    details.push({
      desc: ErrorInfoSchema,
      value: { reason: options.reason, domain: "identity.example" },
    });
  }
  if (options.violations) {
    const fieldViolations = Object.entries(options.violations).map(([field, description]) => ({ field, description }));
    details.push({ desc: BadRequestSchema, value: { fieldViolations } });
  }
  return new ConnectError(options.message ?? "request failed", options.code, undefined, details);
}

export { Code };
