// The password hasher of the login path: Argon2id for every hash it makes, and verification of whatever a
// stored hash is, dispatched on its format: the service's own Argon2id, or a Django hash brought over by
// `npm run import:drf` (which `needsRehash` then asks to replace, see application/password-upgrade.ts).
//
// Not an oracle: an unknown account costs a dummy Argon2id verification, and so do Django's unusable
// passwords (`!...`) and hash formats that are not supported. Django's formats cost more than Argon2id
// (bcrypt_sha256 at cost 12 most: ~170 ms against ~10 ms), so while such hashes exist a failed verification,
// of any kind, ends no sooner than the slowest format costs at Django's defaults (measured once, on first
// need) or than the slowest imported hash seen so far: an unknown user and a wrong password take as long.
import { setTimeout as sleep } from "node:timers/promises";
import { hash as hashArgon2 } from "@node-rs/argon2";
import { hash as hashBcrypt } from "@node-rs/bcrypt";
import type { PasswordHasher } from "../application/ports.ts";
import { ARGON2_OPTIONS, createArgon2PasswordHasher } from "./argon2-password-hasher.ts";
import { djangoFormat, verifyDjangoHash } from "./django-password-hashes.ts";

/** What a hash made with the current parameters starts with. */
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;

/** A legacy hash slower than this is left slower: padding never holds a failed login longer. */
const MAX_FLOOR_MS = 2_000;
/** The floor is this much above the measured cost, so that run-to-run noise stays under it. */
const FLOOR_MARGIN = 1.2;

export interface PasswordHasherOptions {
  /** Whether accounts with Django hashes exist (see application/legacy-hash-watch.ts). */
  legacyHashesPresent: () => boolean;
}

/** What verifying each Django format costs here at Django's current defaults; the most of them. */
async function measureSlowestDjangoFormat(): Promise<number> {
  const password = crypto.randomUUID();
  const samples = [
    // Django 5.2's default count; Django 3.2 used 260,000.
    `pbkdf2_sha256$1000000$${crypto.randomUUID()}$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`,
    `argon2${await hashArgon2(password, { algorithm: ARGON2_OPTIONS.algorithm, memoryCost: 102400, timeCost: 2, parallelism: 8 })}`,
    `bcrypt_sha256$${await hashBcrypt(password, { cost: 12 })}`,
  ];
  let slowest = 0;
  for (const sample of samples) {
    const started = performance.now();
    await verifyDjangoHash(sample, "not the password");
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

function createFailureFloor(legacyHashesPresent: () => boolean) {
  let calibrated: Promise<number> | undefined;
  let slowestSeen = 0;
  return {
    /** Called when a verification that began at `startedMs` failed. */
    async pad(startedMs: number, wasDjangoHash: boolean): Promise<void> {
      if (wasDjangoHash) slowestSeen = Math.max(slowestSeen, performance.now() - startedMs);
      if (!legacyHashesPresent()) return;
      calibrated ??= measureSlowestDjangoFormat();
      const floor = Math.min(MAX_FLOOR_MS, Math.max(await calibrated, slowestSeen) * FLOOR_MARGIN);
      const rest = floor - (performance.now() - startedMs);
      if (rest > 0) await sleep(rest);
    },
  };
}

export async function createPasswordHasher(options: PasswordHasherOptions): Promise<PasswordHasher> {
  const argon2 = await createArgon2PasswordHasher();
  const floor = createFailureFloor(options.legacyHashesPresent);
  return {
    hash: argon2.hash,
    async verify(stored, password) {
      const started = performance.now();
      const django = djangoFormat(stored) !== undefined;
      let valid = false;
      if (django) valid = await verifyDjangoHash(stored, password);
      else if (stored.startsWith("$argon2")) valid = await argon2.verify(stored, password);
      // Unusable (`!...`) or unsupported: never valid, at the cost of a real verification.
      else await argon2.verifyDummy(password);
      if (!valid) await floor.pad(started, django);
      return valid;
    },
    async verifyDummy(password) {
      const started = performance.now();
      await argon2.verifyDummy(password);
      await floor.pad(started, false);
    },
    needsRehash: (stored) => djangoFormat(stored) !== undefined || (stored.startsWith("$argon2") && !stored.startsWith(CURRENT_PREFIX)),
  };
}
