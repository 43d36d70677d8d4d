// GET /api/friendships/ and /received/: the caller's lists, keyset pages, most recent activity first.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { isUuid } from "@identity/shared/ids.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "@identity/shared/pagination.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { FriendshipStatus } from "../domain/friendship.ts";
import { type FriendshipView, listFriendshipPage, type PageQuery } from "../persistence/friendship.repository.ts";

export interface ListFriendshipsDeps {
  orm: MikroORM;
}

export interface Page {
  friendships: FriendshipView[];
  nextPageToken: string;
}

export interface PageRequest {
  pageSize: number;
  pageToken: string;
}

/** The page token is the last row's sort key: [updated_at in ms, id]. */
function cursorOf(token: string): PageQuery["after"] {
  const key = decodePageToken(token, ["number", "string"] as const);
  if (!key) return undefined;
  const [updatedAtMs, id] = key;
  if (!isUuid(id) || !Number.isSafeInteger(updatedAtMs)) throw domainError(ErrorReason.INVALID_PAGE_TOKEN, { field: "page_token" });
  return { updatedAt: new Date(updatedAtMs), id };
}

function pageOf(deps: ListFriendshipsDeps) {
  return async (query: Omit<PageQuery, "after" | "limit">, request: PageRequest): Promise<Page> => {
    const size = pageSizeOf(request.pageSize);
    // One row more than the page tells whether a next page exists, so the last page has no token.
    const rows = await listFriendshipPage(deps.orm.em.fork(), { ...query, after: cursorOf(request.pageToken), limit: size + 1 });
    const friendships = rows.slice(0, size);
    const last = friendships.at(-1);
    return {
      friendships,
      nextPageToken: rows.length > size && last ? encodePageToken([last.updatedAt.getTime(), last.id]) : "",
    };
  };
}

export type ListFriendships = (userId: string, status: "" | "requested" | "accepted", request: PageRequest) => Promise<Page>;

/** Sent and received, rejected ones hidden; `status` "" means requested and accepted. */
export function listFriendships(deps: ListFriendshipsDeps): ListFriendships {
  const page = pageOf(deps);
  return (userId, status, request) => {
    const statuses: FriendshipStatus[] = status === "" ? ["requested", "accepted"] : [status];
    return page({ userId, sides: ["requester", "addressee"], statuses }, request);
  };
}

export type ListReceivedFriendRequests = (userId: string, request: PageRequest) => Promise<Page>;

/** Pending requests addressed to the user. */
export function listReceivedFriendRequests(deps: ListFriendshipsDeps): ListReceivedFriendRequests {
  const page = pageOf(deps);
  return (userId, request) => page({ userId, sides: ["addressee"], statuses: ["requested"] }, request);
}
