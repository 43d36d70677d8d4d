// Friendship rows. Every state change runs on a row locked with FOR UPDATE inside the caller's
// transaction, so concurrent transitions of one relationship are serialized and each happens once.
import type { EntityManager } from "@mikro-orm/core";
import type { FriendshipRow, FriendshipStatus } from "../domain/friendship.ts";
import type { UserSummaryRow } from "./known-user.repository.ts";
import { query } from "./sql.ts";

interface DbRow {
  id: string;
  requester_id: string;
  addressee_id: string;
  status: FriendshipStatus;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = "id, requester_id, addressee_id, status, created_at, updated_at";

const toRow = (r: DbRow): FriendshipRow => ({
  id: r.id,
  requesterId: r.requester_id,
  addresseeId: r.addressee_id,
  status: r.status,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export async function lockFriendship(em: EntityManager, id: string): Promise<FriendshipRow | undefined> {
  const [row] = await query<DbRow>(em, `select ${COLUMNS} from friendship where id = ? for update`, [id]);
  return row && toRow(row);
}

/** The pair's relationship, whatever its direction, locked; the unique pair index answers it. */
export async function lockPair(em: EntityManager, userA: string, userB: string): Promise<FriendshipRow | undefined> {
  const [row] = await query<DbRow>(
    em,
    `select ${COLUMNS} from friendship
     where least(requester_id, addressee_id) = least(?::uuid, ?::uuid) and greatest(requester_id, addressee_id) = greatest(?::uuid, ?::uuid)
     for update`,
    [userA, userB, userA, userB],
  );
  return row && toRow(row);
}

/**
 * Inserts the row unless the pair already has one. A concurrent insert for the same pair makes this wait
 * for the other transaction and then insert nothing: false, and the caller reads the winner's row.
 */
export async function insertIfPairFree(em: EntityManager, row: FriendshipRow): Promise<boolean> {
  const inserted = await query(em, `insert into friendship (${COLUMNS}) values (?, ?, ?, ?, ?, ?) on conflict do nothing returning id`, [
    row.id,
    row.requesterId,
    row.addresseeId,
    row.status,
    row.createdAt,
    row.updatedAt,
  ]);
  return inserted.length > 0;
}

export async function saveFriendship(em: EntityManager, row: FriendshipRow): Promise<void> {
  await query(em, "update friendship set requester_id = ?, addressee_id = ?, status = ?, created_at = ?, updated_at = ? where id = ?", [
    row.requesterId,
    row.addresseeId,
    row.status,
    row.createdAt,
    row.updatedAt,
    row.id,
  ]);
}

export async function deleteFriendship(em: EntityManager, id: string): Promise<void> {
  await query(em, "delete from friendship where id = ?", [id]);
}

/** Every relationship of a user (any status, either side), removed, locked rows returned: for user.deleted. */
export async function deleteFriendshipsOf(em: EntityManager, userId: string): Promise<FriendshipRow[]> {
  const rows = await query<DbRow>(em, `delete from friendship where requester_id = ? or addressee_id = ? returning ${COLUMNS}`, [
    userId,
    userId,
  ]);
  return rows.map(toRow);
}

export async function areFriends(em: EntityManager, userA: string, userB: string): Promise<boolean> {
  const rows = await query(
    em,
    `select 1 from friendship
     where least(requester_id, addressee_id) = least(?::uuid, ?::uuid) and greatest(requester_id, addressee_id) = greatest(?::uuid, ?::uuid)
       and status = 'accepted'`,
    [userA, userB, userA, userB],
  );
  return rows.length > 0;
}

export interface FriendshipView extends FriendshipRow {
  requester: UserSummaryRow;
  addressee: UserSummaryRow;
}

export interface PageQuery {
  userId: string;
  /** Which side of the relationship the user is on: the lists use both, or only the addressee's. */
  sides: ReadonlyArray<"requester" | "addressee">;
  statuses: readonly FriendshipStatus[];
  /** The last row of the previous page (most recent activity first), or undefined for the first page. */
  after: { updatedAt: Date; id: string } | undefined;
  limit: number;
}

const sideColumn = { requester: "requester_id", addressee: "addressee_id" } as const;

/**
 * One page, most recent activity first (updated_at desc, id desc). Each (side, status) pair is one range of
 * a (party, status, updated_at, id) index read backwards for at most `limit` rows; the union of those few
 * short ranges is merged and cut to `limit`. The cost depends on the page size and never on how many
 * relationships the user has.
 */
export async function listFriendshipPage(em: EntityManager, page: PageQuery): Promise<FriendshipView[]> {
  const branches: string[] = [];
  const params: unknown[] = [];
  for (const side of page.sides) {
    for (const status of page.statuses) {
      branches.push(
        `(select ${COLUMNS} from friendship where ${sideColumn[side]} = ? and status = ?` +
          (page.after ? " and (updated_at, id) < (?::timestamptz, ?::uuid)" : "") +
          " order by updated_at desc, id desc limit ?)",
      );
      params.push(page.userId, status);
      if (page.after) params.push(page.after.updatedAt, page.after.id);
      params.push(page.limit);
    }
  }
  const rows = await query<DbRow & Record<`${"r" | "a"}_${"username" | "display_name" | "avatar_url"}`, string>>(
    em,
    `select f.id, f.requester_id, f.addressee_id, f.status, f.created_at, f.updated_at,
       r.username as r_username, r.display_name as r_display_name, r.avatar_url as r_avatar_url,
       a.username as a_username, a.display_name as a_display_name, a.avatar_url as a_avatar_url
     from (${branches.join(" union all ")}) f
     join known_user r on r.id = f.requester_id
     join known_user a on a.id = f.addressee_id
     order by f.updated_at desc, f.id desc
     limit ?`,
    [...params, page.limit],
  );
  return rows.map((r) => ({
    ...toRow(r),
    requester: { id: r.requester_id, username: r.r_username, displayName: r.r_display_name, avatarUrl: r.r_avatar_url },
    addressee: { id: r.addressee_id, username: r.a_username, displayName: r.a_display_name, avatarUrl: r.a_avatar_url },
  }));
}
