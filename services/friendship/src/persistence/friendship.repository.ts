// Friendship rows. Every state change runs on a row locked with FOR UPDATE inside the caller's
// transaction, so concurrent transitions of one relationship are serialized and each happens once. The
// entities the lock reads are managed: a use case changes their fields and the commit writes them.
import { LockMode } from "@mikro-orm/core";
import type { InferKyselyDB, SqlEntityManager } from "@mikro-orm/postgresql";
import type { FriendshipStatus } from "../domain/friendship.ts";
import { type Friendship, FriendshipEntity } from "./friendship.entity.ts";
import type { KnownUserEntity, UserSummary } from "./known-user.entity.ts";
import { findUserSummaries } from "./known-user.repository.ts";

/** The pair's relationship whatever its direction (the unique pair index holds at most one). */
const pairOf = (userA: string, userB: string) => ({
  $or: [
    { requesterId: userA, addresseeId: userB },
    { requesterId: userB, addresseeId: userA },
  ],
});

export function lockFriendship(em: SqlEntityManager, id: string): Promise<Friendship | null> {
  return em.findOne(FriendshipEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The pair's relationship, whatever its direction, locked. */
export function lockPair(em: SqlEntityManager, userA: string, userB: string): Promise<Friendship | null> {
  return em.findOne(FriendshipEntity, pairOf(userA, userB), { lockMode: LockMode.PESSIMISTIC_WRITE });
}

export type NewFriendship = Omit<Friendship, "legacyId">;

/**
 * Inserts the row unless the pair already has one (`on conflict do nothing` on the pair index). A
 * concurrent insert for the same pair makes this wait for the other transaction and then insert nothing:
 * false, and the caller reads the winner's row.
 */
export async function insertIfPairFree(em: SqlEntityManager, row: NewFriendship): Promise<boolean> {
  const result = await em.createQueryBuilder(FriendshipEntity).insert(row).onConflict().ignore().execute("run");
  return result.affectedRows > 0;
}

/** Every relationship of a user (any status, either side), removed; the removed rows: for user.deleted. */
export async function deleteFriendshipsOf(em: SqlEntityManager, userId: string): Promise<Friendship[]> {
  const rows = await em.find(
    FriendshipEntity,
    { $or: [{ requesterId: userId }, { addresseeId: userId }] },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (rows.length > 0) await em.nativeDelete(FriendshipEntity, { id: { $in: rows.map((row) => row.id) } });
  return rows;
}

export async function areFriends(em: SqlEntityManager, userA: string, userB: string): Promise<boolean> {
  return (await em.count(FriendshipEntity, { ...pairOf(userA, userB), status: "accepted" })) > 0;
}

export interface FriendshipView extends Friendship {
  requester: UserSummary;
  addressee: UserSummary;
}

/** Adds the two users' summaries to a row; both exist (the foreign keys say so). */
export async function viewOf(em: SqlEntityManager, row: NewFriendship | Friendship): Promise<FriendshipView> {
  const users = await findUserSummaries(em, [row.requesterId, row.addresseeId]);
  const summary = (id: string) => users.get(id) ?? { id, username: "", displayName: "", avatarUrl: "" };
  return { legacyId: null, ...row, requester: summary(row.requesterId), addressee: summary(row.addresseeId) };
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

type FriendshipDb = InferKyselyDB<typeof FriendshipEntity | typeof KnownUserEntity>;

const sideColumn = { requester: "requester_id", addressee: "addressee_id" } as const;
const COLUMNS = ["id", "requester_id", "addressee_id", "status", "created_at", "updated_at"] as const;
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * One page, most recent activity first (updated_at desc, id desc). Each (side, status) pair is one range of
 * a (party, status, updated_at, id) index read backwards for at most `limit` rows; the union of those few
 * short ranges is merged and cut to `limit`. The cost depends on the page size and never on how many
 * relationships the user has. A typed query (Kysely): the entity manager has no union of limited ranges.
 */
export async function listFriendshipPage(em: SqlEntityManager, page: PageQuery): Promise<FriendshipView[]> {
  const db = em.getKysely<FriendshipDb>();
  const ranges = page.sides.flatMap((side) =>
    page.statuses.map((status) => {
      let range = db.selectFrom("friendship").select(COLUMNS).where(sideColumn[side], "=", page.userId).where("status", "=", status);
      const after = page.after;
      if (after) range = range.where((eb) => eb(eb.refTuple("updated_at", "id"), "<", eb.tuple(after.updatedAt, after.id)));
      return range.orderBy("updated_at", "desc").orderBy("id", "desc").limit(page.limit);
    }),
  );
  // Each limited range is its own subquery, so that `order by ... limit` applies to it before the union.
  const [first, ...rest] = ranges.map((range, i) => db.selectFrom(range.as(`range_${i}`)).selectAll());
  if (!first) return [];
  const union = rest.reduce((all, next) => all.unionAll(next), first);
  const rows = await db
    .selectFrom(union.as("f"))
    .innerJoin("known_user as r", "r.id", "f.requester_id")
    .innerJoin("known_user as a", "a.id", "f.addressee_id")
    .select([
      "f.id",
      "f.requester_id",
      "f.addressee_id",
      "f.status",
      "f.created_at",
      "f.updated_at",
      "r.username as r_username",
      "r.display_name as r_display_name",
      "r.avatar_url as r_avatar_url",
      "a.username as a_username",
      "a.display_name as a_display_name",
      "a.avatar_url as a_avatar_url",
    ])
    .orderBy("f.updated_at", "desc")
    .orderBy("f.id", "desc")
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    requesterId: r.requester_id,
    addresseeId: r.addressee_id,
    status: r.status,
    createdAt: asDate(r.created_at),
    updatedAt: asDate(r.updated_at),
    legacyId: null,
    requester: { id: r.requester_id, username: r.r_username, displayName: r.r_display_name, avatarUrl: r.r_avatar_url },
    addressee: { id: r.addressee_id, username: r.a_username, displayName: r.a_display_name, avatarUrl: r.a_avatar_url },
  }));
}
