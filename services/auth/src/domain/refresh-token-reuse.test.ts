import { expect, test } from "@jest/globals";
import { isRefreshTokenReuse } from "./refresh-token-reuse.ts";

test("a spent token presented again is reuse", () => {
  expect(isRefreshTokenReuse({ spentAt: new Date() })).toBe(true);
});

test("an unknown token, or one never spent, is only refused", () => {
  expect(isRefreshTokenReuse(undefined)).toBe(false);
  expect(isRefreshTokenReuse({ spentAt: null })).toBe(false);
});
