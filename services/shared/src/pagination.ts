// Keyset (cursor) pagination. A page token is the opaque, base64url-encoded JSON of the last row's sort
// key. Decoding checks its exact shape, so a forged token is a 400 and never reaches SQL as anything but a
// bound parameter.
import { domainError, ErrorReason } from "./errors.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The contract allows 0 (default) to 100; anything else was already refused by validation. */
export function pageSizeOf(requested: number): number {
  return requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

export function encodePageToken(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/**
 * Decodes a page token whose key has the given column types; "" means the first page. Throws
 * INVALID_ARGUMENT (field page_token) when the token was not made by encodePageToken with that shape.
 */
export function decodePageToken<const T extends readonly ("string" | "number")[]>(
  token: string,
  shape: T,
): { [K in keyof T]: T[K] extends "string" ? string : number } | undefined {
  if (token === "") return undefined;
  const bad = () => domainError(ErrorReason.INVALID_PAGE_TOKEN, { field: "page_token" });
  let key: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
    key = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw bad();
  shape.forEach((type, i) => {
    const value: unknown = key[i];
    if (
      typeof value !== type ||
      (typeof value === "string" && value.length > 256) ||
      (typeof value === "number" && !Number.isFinite(value))
    ) {
      throw bad();
    }
  });
  return key as never;
}
