// Validates every request against the protovalidate rules of the contract before a handler sees it.
// A violation answers INVALID_ARGUMENT with a google.rpc.BadRequest naming each field (proto field names).
// Before the contract's rules, every string field is checked for text no field may hold (text-hygiene.ts):
// one generic rule rather than a pattern repeated on every field of the contract.
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import type { Interceptor } from "@connectrpc/connect";
import { domainError, domainToConnectError, ErrorReason, type FieldViolation } from "../errors.ts";
import { textViolations } from "./text-hygiene.ts";

function refuse(violations: FieldViolation[]): never {
  const summary = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  throw domainToConnectError(domainError(ErrorReason.VALIDATION_FAILED, { params: { violations: summary }, violations }));
}

export function createValidationInterceptor(): Interceptor {
  const validator = createValidator();
  return (next) => async (req) => {
    if (!req.stream) {
      const bad = textViolations(req.method.input as DescMessage, req.message as Message);
      if (bad.length > 0) refuse(bad);
      const result = validator.validate(req.method.input as DescMessage, req.message as Message);
      if (result.kind === "invalid") refuse(result.violations.map((v) => ({ field: pathToString(v.field), description: v.message })));
      if (result.kind === "error") throw result.error;
    }
    return next(req);
  };
}
