// UserLookupService.BatchGetUsers, for the platform's other backends.
import type { MikroORM } from "@mikro-orm/postgresql";
import type { UserSummary } from "../domain/profile.ts";
import { findSummaries } from "../persistence/profile.repository.ts";

export interface BatchGetUsersDeps {
  orm: MikroORM;
}

/** Summaries in the order asked, each id once; unknown ids are left out. */
export function batchGetUsers(deps: BatchGetUsersDeps) {
  return async (userIds: readonly string[]): Promise<UserSummary[]> => {
    const wanted = [...new Set(userIds.map((id) => id.toLowerCase()))];
    const found = new Map((await findSummaries(deps.orm.em.fork(), wanted)).map((s) => [s.id, s]));
    return wanted.flatMap((id) => found.get(id) ?? []);
  };
}
