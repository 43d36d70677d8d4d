// Validates every request against the protovalidate rules of the contract before a handler sees it.
// A violation answers INVALID_ARGUMENT with a google.rpc.BadRequest naming each field (proto field names).
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import type { Interceptor } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import { DomainError, domainToConnectError } from "../errors.ts";

export function createValidationInterceptor(): Interceptor {
  const validator = createValidator();
  return (next) => async (req) => {
    if (!req.stream) {
      const result = validator.validate(req.method.input as DescMessage, req.message as Message);
      if (result.kind === "invalid") {
        const violations = result.violations.map((v) => ({ field: pathToString(v.field), description: v.message }));
        const summary = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
        throw domainToConnectError(
          new DomainError(Code.InvalidArgument, "VALIDATION_FAILED", `invalid request: ${summary}`, { violations }),
        );
      }
      if (result.kind === "error") throw result.error;
    }
    return next(req);
  };
}
