import { describe, expect, it } from "vitest";
import { findCode, findResetToken } from "./dev-mailbox-page.tsx";

describe("reading mails in the development mailbox", () => {
  it("finds the token of a reset link, whatever the base address", () => {
    const token = "aB3_-".padEnd(43, "x");
    expect(findResetToken(`Choose a new password: http://localhost:8080/#/reset?token=${token}\nValid 30 minutes.`)).toBe(token);
    expect(findResetToken("Your verification code is 123456")).toBeUndefined();
  });

  it("finds a 6-digit code", () => {
    expect(findCode("Your code: 042817. It is valid for 10 minutes.")).toBe("042817");
    expect(findCode("no code here 1234567")).toBeUndefined();
  });
});
