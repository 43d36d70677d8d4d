import { DomainError } from "./errors.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "./pagination.ts";

test("a token round-trips its key", () => {
  const token = encodePageToken(["alice", "0190a5b2-0000-7000-8000-000000000000"]);
  expect(decodePageToken(token, ["string", "string"])).toEqual(["alice", "0190a5b2-0000-7000-8000-000000000000"]);
  expect(decodePageToken("", ["string"])).toBeUndefined();
});

test.each([
  ["not base64url", "%%%"],
  ["not JSON", Buffer.from("{oops").toString("base64url")],
  ["wrong arity", encodePageToken(["a"])],
  ["wrong type", encodePageToken([1, "b"])],
  ["an injection attempt", encodePageToken(["' or 1=1 --", { x: 1 } as never])],
])("a forged token is INVALID_ARGUMENT on page_token: %s", (_, token) => {
  try {
    decodePageToken(token, ["string", "string"]);
    throw new Error("accepted");
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).violations[0]?.field).toBe("page_token");
  }
});

test("page sizes: 0 is the default, the rest as asked", () => {
  expect(pageSizeOf(0)).toBe(20);
  expect(pageSizeOf(7)).toBe(7);
  expect(pageSizeOf(100)).toBe(100);
});
