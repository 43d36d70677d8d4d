import { Code } from "../gen/ts/google/rpc/code_pb.js";
import { httpStatusOfCode } from "./http-status.ts";

// The statuses of the spec's codes are checked where the embedded gateway answers them
// (gateway/test/embedded/transcoding.test.ts); here, that no code falls through.
test("every error code of google.rpc.Code has an error status of its own; OK is no error answer", () => {
  const errorCodes = Object.values(Code).filter((c): c is Code => typeof c === "number" && c !== Code.OK);
  expect(errorCodes).toHaveLength(16);
  for (const code of errorCodes) expect([code, httpStatusOfCode(code) >= 400]).toEqual([code, true]);
  expect(httpStatusOfCode(Code.CANCELLED)).toBe(499);
  expect(httpStatusOfCode(Code.DEADLINE_EXCEEDED)).toBe(504);
  expect(httpStatusOfCode(Code.OK)).toBe(500);
});
