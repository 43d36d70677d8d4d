// Signing keys in the database. Every state change is one statement or one transaction; the partial unique
// indexes (one `current`, one `next`) make concurrent first starts and rotations safe across replicas.
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { JWK } from "jose";
import { SigningKeyEntity } from "./signing-key.entity.ts";

export type KeyState = "next" | "current" | "retired";

export type StoredKey = InstanceType<typeof SigningKeyEntity.class>;

/** A key made by the caller: its kid, public JWK and sealed private key. */
export interface KeyToStore {
  kid: string;
  jwk: JWK;
  sealed: Buffer;
}

function keyRow(key: KeyToStore, state: "current" | "next", now: Date) {
  return {
    kid: key.kid,
    state,
    publicJwk: key.jwk as Record<string, string>,
    privateKey: key.sealed,
    createdAt: now,
    activatedAt: state === "current" ? now : null,
  };
}

/** Inserts a key in `state` unless one is already there (another replica won the race): true if inserted. */
export async function insertKeyIfAbsent(em: EntityManager, state: "current" | "next", key: KeyToStore): Promise<boolean> {
  const result = await em
    .createQueryBuilder(SigningKeyEntity)
    .insert(keyRow(key, state, new Date()))
    .onConflict()
    .ignore()
    .execute("run");
  return result.affectedRows === 1;
}

/** Publishes `key` as the next key (inside a rotation, which holds the table lock). */
export async function insertNextKey(em: EntityManager, key: KeyToStore): Promise<void> {
  await em.insert(SigningKeyEntity, keyRow(key, "next", new Date()));
}

/** The keys that are published: next, current, and retired ones whose tokens may still be alive. */
export function loadPublishedKeys(em: EntityManager): Promise<StoredKey[]> {
  return em.find(
    SigningKeyEntity,
    { $or: [{ removeAfter: null }, { removeAfter: { $gt: new Date() } }] },
    { orderBy: { createdAt: "desc" }, disableIdentityMap: true },
  );
}

/** Serialises rotations (and first starts) across replicas and operators, until the transaction ends. */
export async function lockSigningKeys(tx: EntityManager): Promise<void> {
  // A table lock: the ORM has row locks only, and a rotation must also exclude the first start's inserts.
  await atomicSql(tx, "lock table signing_key in share row exclusive mode");
}

/** Deletes the retired keys past their time (inside a rotation, which holds the table lock); their kids. */
export async function removeExpiredKeys(tx: EntityManager): Promise<string[]> {
  const expired = await tx.find(
    SigningKeyEntity,
    { state: "retired", removeAfter: { $lte: new Date() } },
    { fields: ["kid"], disableIdentityMap: true },
  );
  const kids = expired.map((k) => k.kid);
  if (kids.length > 0) await tx.nativeDelete(SigningKeyEntity, { kid: { $in: kids } });
  return kids;
}

export async function findKeyInState(tx: EntityManager, state: KeyState): Promise<StoredKey | undefined> {
  return (await tx.findOne(SigningKeyEntity, { state }, { disableIdentityMap: true })) ?? undefined;
}

/** Retires the current key, published for `retainSeconds` more; its kid (undefined when there was none). */
export async function retireCurrentKey(tx: EntityManager, retainSeconds: number): Promise<string | undefined> {
  const now = new Date();
  const [row]: { kid: string }[] = await tx
    .createQueryBuilder(SigningKeyEntity)
    .update({ state: "retired", retiredAt: now, removeAfter: new Date(now.getTime() + retainSeconds * 1000) })
    .where({ state: "current" })
    .returning(["kid"])
    .execute("all");
  return row?.kid;
}

export async function promoteKey(tx: EntityManager, kid: string): Promise<void> {
  await tx.nativeUpdate(SigningKeyEntity, { kid }, { state: "current", activatedAt: new Date() });
}
