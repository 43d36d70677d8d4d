// Verification of the password hashes Django stores (`<algorithm>$...`), for accounts imported from the
// original DRF service: pbkdf2_sha256 and pbkdf2_sha1 (the iteration count is read from the hash),
// argon2 (Django's `argon2$argon2id$v=19$m=...,t=...,p=...$salt$hash`) and bcrypt_sha256. Digests are compared
// in constant time (timingSafeEqual; the argon2 and bcrypt libraries compare in constant time themselves).
// Everything runs on the libuv thread pool, off the event loop. Django's unusable passwords (`!...`) and
// formats not listed here never verify.
import { createHash, pbkdf2, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { verify as verifyArgon2 } from "@node-rs/argon2";
import { verify as verifyBcrypt } from "@node-rs/bcrypt";

const pbkdf2Async = promisify(pbkdf2);

export const DJANGO_FORMATS = ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256"] as const;
export type DjangoFormat = (typeof DJANGO_FORMATS)[number];

/** The Django algorithm a stored hash was made with, when it is one this service verifies. */
export function djangoFormat(stored: string): DjangoFormat | undefined {
  const algorithm = stored.slice(0, stored.indexOf("$"));
  return (DJANGO_FORMATS as readonly string[]).includes(algorithm) ? (algorithm as DjangoFormat) : undefined;
}

/** Django marks an account without a usable password with a leading `!` (set_unusable_password). */
export const isUnusablePassword = (stored: string): boolean => stored.startsWith("!");

/** Above this a hash is refused rather than verified: an absurd count would occupy a thread for minutes. */
const MAX_PBKDF2_ITERATIONS = 50_000_000;

async function verifyPbkdf2(stored: string, password: string, digest: "sha256" | "sha1"): Promise<boolean> {
  const [, iterationsText, salt, expectedB64] = stored.split("$");
  const iterations = Number(iterationsText);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS || !salt || !expectedB64) return false;
  const expected = Buffer.from(expectedB64, "base64");
  if (expected.length === 0) return false;
  // Django derives a key as long as the digest (dklen=None), which is also the stored length.
  const actual = await pbkdf2Async(password, salt, iterations, expected.length, digest);
  return timingSafeEqual(actual, expected);
}

async function verifyDjangoArgon2(stored: string, password: string): Promise<boolean> {
  // Django drops the leading `$` of the PHC string and puts its own algorithm name in front.
  return verifyArgon2(stored.slice("argon2".length), password);
}

async function verifyBcryptSha256(stored: string, password: string): Promise<boolean> {
  // Django hashes the password with SHA-256 first (hex digest), so that bcrypt's 72-byte limit never cuts it.
  const prehashed = createHash("sha256").update(password, "utf8").digest("hex");
  return verifyBcrypt(prehashed, stored.slice("bcrypt_sha256$".length));
}

/** True when `password` matches a Django hash of a supported format; false for anything else. */
export async function verifyDjangoHash(stored: string, password: string): Promise<boolean> {
  try {
    switch (djangoFormat(stored)) {
      case "pbkdf2_sha256":
        return await verifyPbkdf2(stored, password, "sha256");
      case "pbkdf2_sha1":
        return await verifyPbkdf2(stored, password, "sha1");
      case "argon2":
        return await verifyDjangoArgon2(stored, password);
      case "bcrypt_sha256":
        return await verifyBcryptSha256(stored, password);
      default:
        return false;
    }
  } catch {
    // A malformed hash is a failed verification, never an error the caller could tell apart.
    return false;
  }
}
