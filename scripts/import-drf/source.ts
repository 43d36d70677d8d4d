// Reads the original service's database in id order, a batch at a time (keyset: `id > last`), so a run
// reads every row present when it gets there, including rows added since the previous run.
import pg from "pg";
import { quoteName, type SourceMapping } from "./mapping.ts";

export interface SourceUser {
  legacyId: string;
  username: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  dateJoined: Date;
  lastLogin: Date | null;
  bio: string;
  avatarUrl: string;
}

export interface SourceFriendship {
  legacyId: string;
  requesterLegacyId: string;
  addresseeLegacyId: string;
  status: string;
  createdAt: Date;
}

export interface Source {
  /** Names the source database (its first user), so that another source is never mistaken for it. */
  fingerprint(): Promise<string | undefined>;
  counts(): Promise<{ users: number; friendships: number }>;
  users(afterId: string, limit: number): Promise<SourceUser[]>;
  friendships(afterId: string, limit: number): Promise<SourceFriendship[]>;
  close(): Promise<void>;
}

export async function openSource(url: string, mapping: SourceMapping): Promise<Source> {
  const client = new pg.Client({ connectionString: url, application_name: "import:drf" });
  await client.connect();
  // Ids stay strings (bigint-safe); a read-only transaction per batch is all a reader needs.
  await client.query("set default_transaction_read_only = on");
  const u = mapping.users;
  const uc = (k: keyof typeof u.columns) => `u.${quoteName(u.columns[k], `users.columns.${k}`)}`;
  const users = quoteName(u.table, "users.table");
  const p = mapping.profiles;
  const profileJoin = p.table
    ? `left join ${quoteName(p.table, "profiles.table")} p on p.${quoteName(p.columns.userId, "profiles.columns.userId")} = ${uc("id")}`
    : "";
  const profileColumn = (k: "bio" | "avatarUrl") =>
    p.table ? `coalesce(p.${quoteName(p.columns[k], `profiles.columns.${k}`)}, '')` : "''";
  const usersQuery = `
    select ${uc("id")}::text as legacy_id, ${uc("username")} as username, coalesce(${uc("email")}, '') as email,
           ${uc("password")} as password_hash, coalesce(${uc("firstName")}, '') as first_name,
           coalesce(${uc("lastName")}, '') as last_name, ${uc("isActive")} as is_active,
           ${uc("dateJoined")} as date_joined, ${uc("lastLogin")} as last_login,
           ${profileColumn("bio")} as bio, ${profileColumn("avatarUrl")} as avatar_url
      from ${users} u ${profileJoin}
     where ${uc("id")} > $1::bigint
     order by ${uc("id")}
     limit $2`;
  const f = mapping.friendships;
  const fc = (k: keyof typeof f.columns) => `f.${quoteName(f.columns[k], `friendships.columns.${k}`)}`;
  const friendships = quoteName(f.table, "friendships.table");
  const friendshipsQuery = `
    select ${fc("id")}::text as legacy_id, ${fc("requesterId")}::text as requester, ${fc("addresseeId")}::text as addressee,
           ${fc("status")}::text as status, ${fc("createdAt")} as created_at
      from ${friendships} f
     where ${fc("id")} > $1::bigint
     order by ${fc("id")}
     limit $2`;

  return {
    async fingerprint() {
      const { rows } = await client.query<{ fingerprint: string }>(
        `select ${uc("id")}::text || ' ' || ${uc("username")} || ' ' || to_char(${uc("dateJoined")} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as fingerprint
           from ${users} u order by ${uc("id")} limit 1`,
      );
      return rows[0]?.fingerprint;
    },
    async counts() {
      const { rows } = await client.query<{ users: string; friendships: string }>(
        `select (select count(*) from ${users}) as users, (select count(*) from ${friendships}) as friendships`,
      );
      return { users: Number(rows[0]?.users ?? 0), friendships: Number(rows[0]?.friendships ?? 0) };
    },
    async users(afterId, limit) {
      const { rows } = await client.query(usersQuery, [afterId, limit]);
      return rows.map((r) => ({
        legacyId: r.legacy_id,
        username: r.username,
        email: r.email,
        passwordHash: r.password_hash ?? "",
        firstName: r.first_name,
        lastName: r.last_name,
        isActive: r.is_active !== false,
        dateJoined: r.date_joined,
        lastLogin: r.last_login,
        bio: r.bio,
        avatarUrl: r.avatar_url,
      }));
    },
    async friendships(afterId, limit) {
      const { rows } = await client.query(friendshipsQuery, [afterId, limit]);
      return rows.map((r) => ({
        legacyId: r.legacy_id,
        requesterLegacyId: r.requester,
        addresseeLegacyId: r.addressee,
        status: r.status,
        createdAt: r.created_at,
      }));
    },
    close: () => client.end(),
  };
}
