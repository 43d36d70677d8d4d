import { generateResetToken, hashResetToken } from "./reset-token.ts";

test("a reset token has 256 random bits in 43 URL-safe characters and is stored only as its SHA-256", () => {
  const tokens = new Set(Array.from({ length: 100 }, generateResetToken));
  expect(tokens.size).toBe(100);
  for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const [token] = [...tokens] as [string];
  expect(Buffer.from(token, "base64url")).toHaveLength(32);
  expect(hashResetToken(token)).toHaveLength(32);
  expect(hashResetToken(token).equals(hashResetToken(token))).toBe(true);
  expect(hashResetToken(token).toString("base64url")).not.toBe(token);
});
