// The directory page: keyset over (username_key, user_id), never OFFSET, so a page costs the same at any
// depth. Without a search it walks profile_directory_idx; with one it walks the primary key of
// profile_search_prefix (prefix = the normalized search, then the same keyset). A typed Kysely query over
// the entities' tables: every value is a bound parameter.
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { UserSummary } from "../domain/profile.ts";
import type { ProfileDatabase } from "./profile-database.ts";

export interface DirectoryCursor {
  usernameKey: string;
  userId: string;
}

export interface DirectoryQuery {
  excludeUserId: string;
  /** The search text as the user typed it (trimmed), or undefined for the whole directory. */
  search: string | undefined;
  after: DirectoryCursor | undefined;
  limit: number;
}

export interface DirectoryRow {
  summary: UserSummary;
  cursor: DirectoryCursor;
}

/** The query of one page, unexecuted (tests and the benchmark EXPLAIN it). */
export function directoryQuery(em: SqlEntityManager, query: DirectoryQuery) {
  const db = em.getKysely<ProfileDatabase>();
  const { search, excludeUserId, limit } = query;
  const after = query.after ?? { usernameKey: "", userId: "" };
  // Searching, the keyset is the search index's own (an index-only range scan that stops after `limit` rows).
  if (search !== undefined) {
    return db
      .selectFrom("profile_search_prefix as s")
      .innerJoin("profile as p", "p.user_id", "s.user_id")
      .select(["p.user_id", "p.username", "p.display_name", "p.avatar_url", "s.username_key"])
      .where("s.prefix", "=", (eb) => eb.fn<string>("profile_search_normalize", [eb.val(search)]))
      .where("s.user_id", "<>", excludeUserId)
      .$if(query.after !== undefined, (qb) =>
        qb.where((eb) => eb(eb.refTuple("s.username_key", "s.user_id"), ">", eb.tuple(after.usernameKey, after.userId))),
      )
      .orderBy("s.username_key")
      .orderBy("s.user_id")
      .limit(limit);
  }
  return db
    .selectFrom("profile as p")
    .select(["p.user_id", "p.username", "p.display_name", "p.avatar_url", "p.username_key"])
    .where("p.user_id", "<>", excludeUserId)
    .$if(query.after !== undefined, (qb) =>
      qb.where((eb) => eb(eb.refTuple("p.username_key", "p.user_id"), ">", eb.tuple(after.usernameKey, after.userId))),
    )
    .orderBy("p.username_key")
    .orderBy("p.user_id")
    .limit(limit);
}

export async function listDirectory(em: SqlEntityManager, query: DirectoryQuery): Promise<DirectoryRow[]> {
  const rows = await directoryQuery(em, query).execute();
  return rows.map((row) => ({
    summary: { id: row.user_id, username: row.username, displayName: row.display_name, avatarUrl: row.avatar_url },
    cursor: { usernameKey: String(row.username_key), userId: row.user_id },
  }));
}
