// The effect of user.deleted: the profile leaves the directory for good, and a tombstone keeps it from
// being created again from a still-valid token or a late user.registered.
import type { EntityManager } from "@mikro-orm/core";
import { deleteProfileForGood } from "../persistence/deleted-user.repository.ts";

/** It needs nothing but the consumer's transaction. */
export type ApplyUserDeletedDeps = Record<string, never>;

export function applyUserDeleted(_deps: ApplyUserDeletedDeps = {}) {
  return (em: EntityManager, userId: string, deletedAt: Date): Promise<void> => deleteProfileForGood(em, userId, deletedAt);
}
