// The effect of profile.updated (the profile's whole current state): the replica takes it only when it is
// newer than what it holds and the user is not deleted, so reordered or repeated events are harmless.
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import { type ProfileState, upsertProfileIfNewer } from "../persistence/known-user.repository.ts";

/** It needs nothing but the consumer's transaction. */
export type ApplyProfileUpdatedDeps = Record<string, never>;

export type ApplyProfileUpdated = (em: SqlEntityManager, profile: ProfileState) => Promise<void>;

export function applyProfileUpdated(_deps: ApplyProfileUpdatedDeps = {}): ApplyProfileUpdated {
  return async (em, profile) => {
    await upsertProfileIfNewer(em, profile);
  };
}
