// Password-reset tokens: 256 bits from a CSPRNG, base64url (43 characters) in the link, stored as SHA-256
// only. With that much entropy a fast hash is enough: nobody can guess a token, only steal one.
import { createHash, randomBytes } from "node:crypto";

export const RESET_TOKEN_BYTES = 32;

export function generateResetToken(): string {
  return randomBytes(RESET_TOKEN_BYTES).toString("base64url");
}

export function hashResetToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}
