// Deleting a profile for good, and the check that keeps it deleted. Creation (from claims or user.registered)
// and deletion of one user take the same transaction-scoped advisory lock first, so a creation either sees
// the tombstone or happens before the deletion, which then removes it: never a profile after a tombstone.
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import type { EntityManager } from "@mikro-orm/core";
import { DeletedUserEntity } from "./deleted-user.entity.ts";
import { ProfileEntity } from "./profile.entity.ts";

/** Serializes creation and deletion of one user's profile until the transaction ends. */
export async function lockUser(em: EntityManager, userId: string): Promise<void> {
  // Hand-written: a transaction-scoped advisory lock (on a user id, not a row that may not exist yet) has no ORM form.
  await atomicSql(em, "select pg_advisory_xact_lock(hashtextextended(?, 0))", [userId]);
}

export async function isDeleted(em: EntityManager, userId: string): Promise<boolean> {
  return (await em.count(DeletedUserEntity, { userId })) > 0;
}

/** Removes the profile (and with it the directory entry) and leaves a tombstone; call inside a transaction. */
export async function deleteProfileForGood(em: EntityManager, userId: string, deletedAt: Date): Promise<void> {
  await lockUser(em, userId);
  await em.upsert(DeletedUserEntity, { userId, deletedAt });
  await em.nativeDelete(ProfileEntity, { userId });
}
