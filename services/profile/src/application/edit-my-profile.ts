// PUT and PATCH /api/profiles/me/: one transaction that ensures the profile, locks it, applies the edit and
// records profile.updated only when a value changed (so one outbox row per effective change).
import type { MikroORM } from "@mikro-orm/postgresql";
import { applyEdit, type EditableFields, type ProfileState } from "../domain/profile.ts";
import { recordProfileUpdated } from "../events/published.ts";
import { assignState, lockProfile, toState } from "../persistence/profile.repository.ts";
import { ensureOwnProfile } from "./ensure-profile.ts";
import type { ProfileUser } from "./use-cases.ts";

export interface EditMyProfileDeps {
  orm: MikroORM;
  now: () => Date;
}

/** Both replaceMyProfile (every field given) and updateMyProfile (some fields given). */
export function editMyProfile(deps: EditMyProfileDeps) {
  return (user: ProfileUser, changes: Partial<EditableFields>): Promise<ProfileState> =>
    deps.orm.em.fork().transactional(async (em) => {
      await ensureOwnProfile(em, user, deps.now());
      const row = await lockProfile(em, user.userId);
      if (!row) throw new Error("profile vanished inside its transaction");
      const change = applyEdit(toState(row), changes, deps.now());
      assignState(row, change.next);
      if (change.changed.length > 0) recordProfileUpdated(em, change.next);
      return change.next;
    });
}
