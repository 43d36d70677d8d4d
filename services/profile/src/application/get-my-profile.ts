// GET /api/profiles/me/: the caller's profile, created from the token's claims on first use.
import type { MikroORM } from "@mikro-orm/postgresql";
import type { ProfileState } from "../domain/profile.ts";
import { findProfile, readProfileState, toState } from "../persistence/profile.repository.ts";
import { ensureOwnProfile } from "./ensure-profile.ts";
import type { ProfileUser } from "./use-cases.ts";

export interface GetMyProfileDeps {
  orm: MikroORM;
  now: () => Date;
}

export function getMyProfile(deps: GetMyProfileDeps) {
  return async (user: ProfileUser): Promise<ProfileState> => {
    // Once the profile exists, a read is one primary-key lookup and no transaction.
    const existing = await readProfileState(deps.orm.em.fork(), user.userId);
    if (existing) return existing;
    return deps.orm.em.fork().transactional(async (em) => {
      await ensureOwnProfile(em, user, deps.now());
      const row = await findProfile(em, user.userId);
      if (!row) throw new Error("profile vanished inside its transaction");
      return toState(row);
    });
  };
}
