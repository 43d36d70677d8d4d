// Source databases of the original DRF service for the importer's tests and benchmark: a database of its
// own on the project's instance of the original service (scripts/components/drf-original.sh), with Django's
// schema, filled through Django itself (seed_source.py) or in bulk with SQL.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const component = path.join(root, "scripts/components/drf-original.sh");

export interface SeedUser {
  username: string;
  email: string;
  /** null: an unusable password (`!...`). */
  password: string | null;
  hasher?: "pbkdf2_sha256" | "pbkdf2_sha1" | "argon2" | "bcrypt_sha256";
  is_active?: boolean;
  first_name?: string;
  last_name?: string;
  bio?: string;
  avatar_url?: string;
}

export interface SeedFriendship {
  requester: string;
  addressee: string;
  status?: "requested" | "accepted";
}

export interface DrfSource {
  url: string;
  name: string;
  /** Users and friendships made by Django; answers each username's id. */
  seed(spec: { users?: SeedUser[]; friendships?: SeedFriendship[] }): Record<string, number>;
  sql<Row extends pg.QueryResultRow = Record<string, unknown>>(query: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

const run = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  execFileSync("bash", [component, ...args], {
    cwd: root,
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    timeout: 600_000,
  });

/** Starts the original service's PostgreSQL (installing what it needs) and makes a new source database. */
export async function createDrfSource(prefix: string): Promise<DrfSource> {
  run(["start-db"]);
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  run(["migrate", name]);
  const url = run(["url", name]).trim();
  const admin = run(["url", "postgres"]).trim();
  return {
    url,
    name,
    seed(spec) {
      const out = run(["python", path.join(root, "scripts/import-drf/test/seed_source.py")], {
        input: JSON.stringify(spec),
        env: { DRF_DB: name },
      });
      return (JSON.parse(out.trim().split("\n").pop() ?? "{}") as { ids: Record<string, number> }).ids;
    },
    async sql(query, params = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(query, params)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Many rows at once, with SQL (Django would take hours one create_user at a time): `users` users named
 * `<prefix><n>` sharing one real Django password hash, each with a profile, and `friendships` friendships
 * between neighbours (every other one accepted).
 */
export async function bulkFill(source: DrfSource, options: { users: number; friendships: number; passwordHash: string; prefix?: string }) {
  const prefix = options.prefix ?? "bulk";
  await source.sql(
    `insert into auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
     select $1, false, $2 || g, 'First' || g, 'Last' || g, $2 || g || '@example.com', false, true, now() - (g || ' minutes')::interval
       from generate_series(1, $3::int) g`,
    [options.passwordHash, prefix, options.users],
  );
  await source.sql(
    `insert into core_profile (user_id, bio, avatar_url)
     select u.id, 'Bio of ' || u.username, case when u.id % 3 = 0 then 'https://img.example.com/' || u.id || '.png' else '' end
       from auth_user u left join core_profile p on p.user_id = u.id where p.id is null`,
  );
  // Pairs (n, n + k) for k = 1, 2, ...: distinct pairs, as many as asked.
  await source.sql(
    `with ids as (select array_agg(id order by id) as a from auth_user where username like $1 || '%'),
          pairs as (
            select a[i] as requester, a[i + k] as addressee, row_number() over () as n
              from ids, generate_series(1, 1 + $2::int / greatest(array_length(a, 1), 1)) k, generate_series(1, array_length(a, 1)) i
             where i + k <= array_length(a, 1))
     insert into core_friendship (requester_id, addressee_id, status, created_at)
     select requester, addressee, case when n % 2 = 0 then 'accepted' else 'requested' end, now() from pairs where n <= $2::int`,
    [prefix, options.friendships],
  );
}
