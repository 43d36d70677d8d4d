// Argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1) through @node-rs/argon2, whose hash and verify
// run on the libuv thread pool, off the event loop (size it with UV_THREADPOOL_SIZE, see main.ts).
import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../application/ports.ts";

/** `Algorithm.Argon2id`: the package declares it as a const enum, which type stripping cannot read. */
const ARGON2ID = 2;

export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Argon2id alone; password-hasher.ts adds the other formats and the rehash decision around it. */
export async function createArgon2PasswordHasher(): Promise<Omit<PasswordHasher, "needsRehash">> {
  // A real hash of a random password, so that verifying against it costs exactly what a real one costs.
  const dummy = await hash(crypto.randomUUID(), ARGON2_OPTIONS);
  return {
    hash: (password) => hash(password, ARGON2_OPTIONS),
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    verifyDummy: async (password) => {
      await verify(dummy, password).catch(() => false);
    },
  };
}
