import { describe, expect, it } from "vitest";
import { makeToken } from "../test-support/tokens.ts";
import { decodeJwtPayload, MalformedTokenError, readAccessClaims } from "./jwt.ts";

describe("readAccessClaims", () => {
  it("reads the claims the app uses", () => {
    const token = makeToken({
      sub: "u1",
      username: "zoë",
      email_verified: false,
      iat: 100,
      exp: 400,
    });
    expect(readAccessClaims(token)).toEqual({
      sub: "u1",
      username: "zoë",
      emailVerified: false,
      iat: 100,
      exp: 400,
    });
  });
  it("refuses what is not a JWT with an exp", () => {
    expect(() => decodeJwtPayload("opaque")).toThrow(MalformedTokenError);
    expect(() => decodeJwtPayload("a.!!!.c")).toThrow(MalformedTokenError);
    expect(() => readAccessClaims(`x.${btoa(JSON.stringify({ sub: "u" }))}.y`)).toThrow(/exp/);
  });
});
