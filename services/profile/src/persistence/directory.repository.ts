// The directory page: keyset over (username_key, user_id), never OFFSET, so a page costs the same at any
// depth. Without a search it walks profile_directory_idx; with one it walks the primary key of
// profile_search_prefix (prefix = the normalized search, then the same keyset). Every value is a bound
// parameter.
import type { EntityManager } from "@mikro-orm/core";
import type { UserSummary } from "../domain/profile.ts";
import { summaryOf } from "./profile.repository.ts";

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

/** The SQL and parameters of one page (exported so that tests and the benchmark can EXPLAIN it). */
export function directorySql(query: DirectoryQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  let from: string;
  let key: string;
  if (query.search) {
    from = "profile_search_prefix s join profile p on p.user_id = s.user_id";
    key = "s";
    where.push("s.prefix = profile_search_normalize(?)");
    params.push(query.search);
  } else {
    from = "profile p";
    key = "p";
  }
  where.push(`${key}.user_id <> ?`);
  params.push(query.excludeUserId);
  if (query.after) {
    where.push(`(${key}.username_key, ${key}.user_id) > (?, ?)`);
    params.push(query.after.usernameKey, query.after.userId);
  }
  params.push(query.limit);
  return {
    sql: `select p.user_id, p.username, p.display_name, p.avatar_url, ${key}.username_key
      from ${from}
      where ${where.join(" and ")}
      order by ${key}.username_key, ${key}.user_id
      limit ?`,
    params,
  };
}

export async function listDirectory(em: EntityManager, query: DirectoryQuery): Promise<DirectoryRow[]> {
  const { sql, params } = directorySql(query);
  const rows = (await em.getConnection().execute(sql, params, "all", em.getTransactionContext())) as Record<string, unknown>[];
  return rows.map((row) => ({ summary: summaryOf(row), cursor: { usernameKey: String(row.username_key), userId: String(row.user_id) } }));
}
