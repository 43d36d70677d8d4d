// Read-your-writes: a client that has just registered holds an access token before user.registered has
// reached us. The token's claims (sub, username) are enough to create the profile, so the first request
// that needs it (read or edit) creates it, and user.registered creates it the same way if it comes first.
// Whoever creates it writes the one profile.updated of the creation. A step of several use cases, not one.
import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import type { EntityManager } from "@mikro-orm/core";
import { newProfile } from "../domain/profile.ts";
import { recordProfileUpdated } from "../events/published.ts";
import { isDeleted, lockUser } from "../persistence/deleted-user.repository.ts";
import { insertIfMissing } from "../persistence/profile.repository.ts";
import type { ProfileUser, RegisteredUser } from "./use-cases.ts";

export type EnsureOutcome = "created" | "exists" | "deleted";

/**
 * Creates the profile from what the caller's token (or user.registered) says, unless it exists or the user
 * was deleted; call inside a transaction.
 */
export async function ensureProfile(em: EntityManager, user: ProfileUser & Partial<RegisteredUser>, now: Date): Promise<EnsureOutcome> {
  await lockUser(em, user.userId);
  if (await isDeleted(em, user.userId)) return "deleted";
  const profile = newProfile(user, now);
  const created = await insertIfMissing(em, profile);
  if (created) recordProfileUpdated(em, profile);
  return created ? "created" : "exists";
}

/** For a request: the profile exists afterwards, or the account is gone (401 ACCOUNT_DELETED). */
export async function ensureOwnProfile(em: EntityManager, user: ProfileUser, now: Date): Promise<void> {
  if ((await ensureProfile(em, user, now)) === "deleted") throw accountDeleted();
}
