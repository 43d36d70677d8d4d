import { create } from "@bufbuild/protobuf";
import { LoginRequestSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { textProblem, textViolations } from "./text-hygiene.ts";

test("NUL and unpaired surrogates are refused; paired surrogates (emoji) and the replacement character are text", () => {
  expect(textProblem("a\u0000b")).toMatch(/NUL/);
  expect(textProblem("a\uD800b")).toMatch(/surrogate/);
  expect(textProblem("\uDC00")).toMatch(/surrogate/);
  expect(textProblem("end\uD83D")).toMatch(/surrogate/);
  expect(textProblem("smile \uD83D\uDE00, café, \uFFFD, 日本")).toBeUndefined();
});

test("every string field of a request is checked, each named by its proto field name", () => {
  const message = create(LoginRequestSchema, { username: "a\u0000", password: "b\uDFFF" });
  expect(textViolations(LoginRequestSchema, message)).toEqual([
    { field: "username", description: expect.stringMatching(/NUL/) },
    { field: "password", description: expect.stringMatching(/surrogate/) },
  ]);
  expect(textViolations(LoginRequestSchema, create(LoginRequestSchema, { username: "ada", password: "x" }))).toEqual([]);
});
