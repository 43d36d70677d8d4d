import { Code } from "../gen/ts/google/rpc/code_pb.js";
import { ErrorReason, errorReasons, reasonFacts, reasonMessage, reasonName } from "./error-reasons.ts";

test("every reason of the contract has a code that is an error and a message", () => {
  expect(errorReasons.length).toBe(Object.keys(ErrorReason).filter((k) => Number.isNaN(Number(k))).length - 1);
  for (const facts of errorReasons) {
    expect(facts.name).toMatch(/^[A-Z][A-Z0-9_]+[A-Z0-9]$/);
    expect(facts.code).not.toBe(Code.OK);
    expect(facts.message).not.toBe("");
  }
});

test("the reason a client sees is the value's name without the enum's prefix", () => {
  expect(reasonName(ErrorReason.TOKEN_NOT_VALID)).toBe("TOKEN_NOT_VALID");
  expect(reasonFacts(ErrorReason.TOKEN_NOT_VALID).code).toBe(Code.UNAUTHENTICATED);
});

test("DRF's words, a variant, and placeholders filled", () => {
  expect(reasonMessage(ErrorReason.TOKEN_NOT_VALID)).toBe("Given token not valid for any token type");
  expect(reasonMessage(ErrorReason.TOKEN_NOT_VALID, { variant: "refresh" })).toBe("Token is invalid or expired");
  expect(reasonMessage(ErrorReason.RATE_LIMITED, { variant: "throttled", params: { seconds: 7 } })).toBe(
    "Request was throttled. Expected available in 7 seconds.",
  );
});

test("an unknown variant or a missing value is a bug, not a message with a hole", () => {
  expect(() => reasonMessage(ErrorReason.TOKEN_NOT_VALID, { variant: "nope" })).toThrow(/no message variant/);
  expect(() => reasonMessage(ErrorReason.FRIEND_REQUEST_ALREADY_DECIDED)).toThrow(/no value for \{status\}/);
});
