// The effect of user.registered: create the profile if no request did first; otherwise fill first and last
// name unless the user already set them (an edit and the event lock the row, so either order ends the same).
import type { EntityManager } from "@mikro-orm/core";
import { reconcileRegistration } from "../domain/profile.ts";
import { assignState, lockProfile, toState } from "../persistence/profile.repository.ts";
import { ensureProfile } from "./ensure-profile.ts";
import type { RegisteredUser } from "./use-cases.ts";

export interface ApplyUserRegisteredDeps {
  now: () => Date;
}

export function applyUserRegistered(deps: ApplyUserRegisteredDeps) {
  /** Runs inside the consumer's transaction, which also records the event id. */
  return async (em: EntityManager, user: RegisteredUser): Promise<void> => {
    if ((await ensureProfile(em, user, deps.now())) !== "exists") return;
    const row = await lockProfile(em, user.userId);
    if (!row) throw new Error("profile vanished inside its transaction");
    assignState(row, reconcileRegistration(toState(row), user, deps.now()).next);
  };
}
