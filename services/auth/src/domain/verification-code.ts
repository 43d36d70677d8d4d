// Email verification codes: 6 digits from a CSPRNG, stored only as an HMAC-SHA256 under a server key and
// bound to the account and the address they were sent to (a code for one address never verifies another).
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

export const CODE_DIGITS = 6;

export function generateCode(): string {
  return randomInt(0, 10 ** CODE_DIGITS)
    .toString()
    .padStart(CODE_DIGITS, "0");
}

export function hashCode(key: Buffer, binding: { userId: string; email: string }, code: string): Buffer {
  return createHmac("sha256", key).update(`${binding.userId}\n${binding.email.toLowerCase()}\n${code}`).digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
