// Signing keys in the database. Every state change is one statement or one transaction; the partial unique
// indexes (one `current`, one `next`) make concurrent first starts and rotations safe across replicas.
import { generateKeyPairSync } from "node:crypto";
import { SIGNING_ALGORITHM } from "@identity/shared/auth/token-claims.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { calculateJwkThumbprint, type JWK } from "jose";
import { sql } from "../persistence/sql.ts";
import { seal } from "./key-encryption.ts";

export type KeyState = "next" | "current" | "retired";

export interface StoredKey {
  kid: string;
  state: KeyState;
  public_jwk: JWK;
  private_key: Buffer;
}

/** A fresh EC P-256 key pair: the public JWK (kid = RFC 7638 thumbprint) and the sealed private key. */
export async function newKey(encryptionKey: Buffer): Promise<{ kid: string; jwk: JWK; sealed: Buffer }> {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const exported = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(exported);
  const jwk: JWK = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y, kid, alg: SIGNING_ALGORITHM, use: "sig" };
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  return { kid, jwk, sealed: seal(encryptionKey, kid, der) };
}

/** Inserts a key in `state` unless one is already there (another replica won the race): true if inserted. */
export async function insertKeyIfAbsent(em: EntityManager, state: "current" | "next", encryptionKey: Buffer): Promise<boolean> {
  const key = await newKey(encryptionKey);
  const rows = await sql<{ kid: string }>(
    em,
    `insert into signing_key (kid, state, public_jwk, private_key, created_at, activated_at)
     values (?, ?, ?::jsonb, ?, now(), ${state === "current" ? "now()" : "null"})
     on conflict do nothing returning kid`,
    [key.kid, state, JSON.stringify(key.jwk), key.sealed],
  );
  return rows.length === 1;
}

/** The keys that are published: next, current, and retired ones whose tokens may still be alive. */
export function loadPublishedKeys(em: EntityManager): Promise<StoredKey[]> {
  return sql<StoredKey>(
    em,
    `select kid, state, public_jwk, private_key from signing_key
     where remove_after is null or remove_after > now() order by created_at desc`,
  );
}
