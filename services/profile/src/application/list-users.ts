// GET /api/users/: a keyset page of the directory (everyone but the caller), optionally searched.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { isUuid } from "@identity/shared/ids.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "@identity/shared/pagination.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { searchTextOf } from "../domain/directory-search.ts";
import { listDirectory } from "../persistence/directory.repository.ts";
import type { DirectoryPage, DirectoryRequest, ProfileUser } from "./use-cases.ts";

export interface ListUsersDeps {
  orm: MikroORM;
}

export function listUsers(deps: ListUsersDeps) {
  return async (user: ProfileUser, request: DirectoryRequest): Promise<DirectoryPage> => {
    const limit = pageSizeOf(request.pageSize);
    const key = decodePageToken(request.pageToken, ["string", "string"] as const);
    if (key && !isUuid(key[1])) throw domainError(ErrorReason.INVALID_PAGE_TOKEN, { field: "page_token" });
    // One row more than the page tells whether there is a next page.
    const rows = await listDirectory(deps.orm.em.fork(), {
      excludeUserId: user.userId,
      search: searchTextOf(request.search),
      after: key ? { usernameKey: key[0], userId: key[1] } : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      users: page.map((r) => r.summary),
      nextPageToken: rows.length > limit && last ? encodePageToken([last.cursor.usernameKey, last.cursor.userId]) : "",
    };
  };
}
