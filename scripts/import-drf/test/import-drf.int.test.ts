// The whole move from the original DRF service: a source database made by Django itself (create_user with
// each supported hasher, an inactive user, an unusable password, a duplicate email in another case, an
// invalid username, dangling friendships), imported into the platform's three databases on the real
// PostgreSQL, then used through the gateway as the users would: old passwords, profiles, friendships,
// directory. Then: a second run imports nothing, new source rows arrive, a dry run writes nothing, and a
// run killed with SIGKILL half-way resumes without duplicates.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { embeddedOptionsFromEnv } from "@identity/gateway/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "@identity/gateway/embedded/platform.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "@identity/shared/testing/test-database.ts";
import { jest } from "@jest/globals";
import { decodeJwt } from "jose";
import pg from "pg";
import { type RestClient, restClient } from "../../../gateway/test/contract/rest-client.ts";
import { bulkFill, createDrfSource, type DrfSource, type SeedUser } from "./drf-source.ts";
import { runImporter, startImporter } from "./run-importer.ts";

jest.setTimeout(600_000);

const SERVICES = ["auth", "profile", "friendship"] as const;
type Targets = Record<(typeof SERVICES)[number], TestDatabase>;

async function createTargets(): Promise<Targets> {
  const [auth, profile, friendship] = await Promise.all(SERVICES.map((s) => createTestDatabase(`import_${s}`)));
  return { auth: auth!, profile: profile!, friendship: friendship! };
}
const targetArgs = (t: Targets) => ["--auth-db", t.auth.url, "--profile-db", t.profile.url, "--friendship-db", t.friendship.url];

async function query<Row extends pg.QueryResultRow>(db: TestDatabase, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
const ids = async (db: TestDatabase, sql: string) => (await query<{ id: string }>(db, sql)).map((r) => r.id).sort();

const ACTIVE: SeedUser[] = [
  {
    username: "ann",
    email: "ann@example.com",
    password: "pw-of-ann-1",
    hasher: "pbkdf2_sha256",
    first_name: "Ann",
    last_name: "Archer",
    bio: "Rows and columns.",
    avatar_url: "https://img.example.com/ann.png",
  },
  { username: "ben", email: "ben@example.com", password: "pw-of-ben-1", hasher: "pbkdf2_sha1", bio: "Ben here." },
  { username: "cat", email: "cat@example.com", password: "pw-of-cat-1", hasher: "argon2" },
  { username: "dan", email: "dan@example.com", password: "pw-of-dan-1", hasher: "bcrypt_sha256" },
];
const INACTIVE: SeedUser = { username: "eve", email: "eve@example.com", password: "pw-of-eve-1", is_active: false };
const UNUSABLE: SeedUser = { username: "fay", email: "fay@example.com", password: null };
const DUPLICATE_EMAIL: SeedUser = { username: "ann_again", email: "ANN@Example.com", password: "pw-of-ann-2" };
const INVALID_USERNAME: SeedUser = { username: "gus+drf", email: "gus@example.com", password: "pw-of-gus-1" };

async function login(rest: RestClient, username: string, password: string) {
  return rest.post("/api/auth/login/", { username, password });
}

describe("importing a Django source and using it through the gateway", () => {
  let source: DrfSource;
  let targets: Targets;
  let platform: EmbeddedPlatform;
  let rest: RestClient;
  let legacy: Record<string, number>;

  beforeAll(async () => {
    source = await createDrfSource("import_test");
    legacy = source.seed({
      users: [...ACTIVE, INACTIVE, UNUSABLE, DUPLICATE_EMAIL, INVALID_USERNAME],
      friendships: [
        { requester: "ann", addressee: "ben", status: "accepted" },
        { requester: "cat", addressee: "ann" },
        { requester: "dan", addressee: "ann_again" },
      ],
    });
    // A friendship whose user is gone from the source altogether (a database without its foreign keys).
    const [fk] = await source.sql<{ conname: string }>(
      "select conname from pg_constraint where conrelid = 'core_friendship'::regclass and contype = 'f' and conname like '%addressee%'",
    );
    await source.sql(`alter table core_friendship drop constraint "${fk!.conname}"`);
    await source.sql(
      "insert into core_friendship (requester_id, addressee_id, status, created_at) values ($1, 999999, 'requested', now())",
      [legacy.ben],
    );
    targets = await createTargets();
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([source?.drop(), ...Object.values(targets ?? {}).map((t) => t.drop())]);
  });

  test("the first run imports what the platform accepts and names every refused row, exiting 2", async () => {
    const result = await runImporter(["--from", source.url, ...targetArgs(targets)]);
    expect(result.stderr).toContain("rows refused");
    expect(result.code).toBe(2);
    const summary = result.summary!;
    expect(summary.imported).toEqual({ users: 6, friendships: 2 });
    expect(summary.refused.map((r) => [r.kind, r.legacyId, r.reason]).sort()).toEqual(
      [
        ["users", String(legacy.ann_again), "duplicate email ignoring case"],
        ["users", String(legacy["gus+drf"]), "invalid username"],
        ["friendships", expect.any(String), "dangling friendship"],
        ["friendships", expect.any(String), "dangling friendship"],
      ].sort(),
    );
    expect(result.stdout).toMatch(/users\s+imported 6, already there 0, refused 2/);
    expect(result.stdout).toContain('user 4 "ann_again"'.replace("4", String(legacy.ann_again)));
    expect(result.stdout).toMatch(/import:drf: friendships \d+\/\d+ rows/); // plain progress lines off a terminal

    // The replicas and the directory agree with auth.
    const accounts = await ids(targets.auth, "select id::text from app_user");
    expect(accounts).toHaveLength(6);
    expect(await ids(targets.profile, "select user_id::text as id from profile")).toEqual(accounts);
    expect(await ids(targets.friendship, "select id::text from known_user")).toEqual(accounts);

    const options = embeddedOptionsFromEnv({ ENVIRONMENT: "dev", EMBEDDED_DATA_DIR: ":memory:", GATEWAY_LISTEN: "127.0.0.1:0" });
    platform = await startEmbeddedPlatform(options, {
      env: { ENVIRONMENT: "dev" },
      logger: () => silentLogger(),
      databaseUrls: { auth: targets.auth.url, profile: targets.profile.url, friendship: targets.friendship.url },
    });
    rest = restClient(platform.url);
  });

  test("each active user logs in with the old password, verified, and the stored hash is then Argon2id", async () => {
    for (const user of ACTIVE) {
      const answer = await login(rest, user.username, user.password!);
      expect({ user: user.username, status: answer.status }).toEqual({ user: user.username, status: 200 });
      expect(decodeJwt(answer.body.access)).toMatchObject({ username: user.username, email_verified: true });
      const [row] = await query<{ password_hash: string }>(targets.auth, "select password_hash from app_user where username = $1", [
        user.username,
      ]);
      expect(row?.password_hash).toMatch(/^\$argon2id\$/);
      expect((await login(rest, user.username, user.password!)).status).toBe(200);
      expect((await login(rest, user.username, "not the password")).status).toBe(401);
    }
    // No verification mail went out for imported users.
    const mail = await rest.get("/api/dev/mail/?to=ann@example.com");
    expect(mail.body.messages).toEqual([]);
  });

  test("the inactive user and the unusable password cannot log in; the answer is the unknown user's", async () => {
    const unknown = await login(rest, "nobody_here", "pw-of-eve-1");
    for (const [username, password] of [
      [INACTIVE.username, INACTIVE.password!],
      [UNUSABLE.username, "anything at all"],
    ] as const) {
      const answer = await login(rest, username, password);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(unknown.body);
    }
  });

  test("profiles, friendships and the directory are there as they were", async () => {
    const ann = (await login(rest, "ann", "pw-of-ann-1")).body.access as string;
    const me = await rest.get("/api/profiles/me/", { token: ann });
    expect(me.body).toMatchObject({
      username: "ann",
      first_name: "Ann",
      last_name: "Archer",
      bio: "Rows and columns.",
      avatar_url: "https://img.example.com/ann.png",
    });

    const friendships = await rest.get("/api/friendships/", { token: ann });
    const pairs = friendships.body.friendships.map(
      (f: { requester: { username: string }; addressee: { username: string }; status: string }) =>
        [f.requester.username, f.addressee.username, f.status].join(" "),
    );
    expect(pairs.sort()).toEqual(["ann ben accepted", "cat ann requested"]);
    const received = await rest.get("/api/friendships/received/", { token: ann });
    expect(received.body.friendships.map((f: { requester: { username: string } }) => f.requester.username)).toEqual(["cat"]);

    const found = await rest.get("/api/users/?search=be", { token: ann });
    expect(found.body.users).toEqual([expect.objectContaining({ username: "ben", display_name: "ben" })]);
    const everyone = await rest.get("/api/users/", { token: ann });
    expect(everyone.body.users.map((u: { username: string }) => u.username)).toEqual(["ben", "cat", "dan", "eve", "fay"]);

    // Imported users act as registered ones: a verified user may ask an imported one.
    const dan = everyone.body.users.find((u: { username: string }) => u.username === "dan");
    const request = await rest.post("/api/friendships/request/", { addressee_id: dan.id }, { token: ann });
    expect(request.status).toBe(201);
  });

  test("a second run imports nothing; users added to the source since arrive on the next run", async () => {
    const again = await runImporter(["--from", source.url, ...targetArgs(targets), "--allow-refused"]);
    expect(again.code).toBe(0);
    expect(again.summary).toMatchObject({ imported: { users: 0, friendships: 0 }, alreadyThere: { users: 6, friendships: 2 } });

    source.seed({ users: [{ username: "hal", email: "hal@example.com", password: "pw-of-hal-1", hasher: "bcrypt_sha256" }] });
    const dry = await runImporter(["--from", source.url, ...targetArgs(targets), "--allow-refused", "--dry-run"]);
    expect(dry.summary).toMatchObject({ dryRun: true, imported: { users: 1, friendships: 0 } });
    expect(await query(targets.auth, "select 1 from app_user where username = 'hal'")).toHaveLength(0);

    const next = await runImporter(["--from", source.url, ...targetArgs(targets), "--allow-refused"]);
    expect(next.summary).toMatchObject({ imported: { users: 1, friendships: 0 }, alreadyThere: { users: 6, friendships: 2 } });
    expect((await login(rest, "hal", "pw-of-hal-1")).status).toBe(200);
  });

  test("an import from another source database is refused before anything is written", async () => {
    const other = await createDrfSource("import_other");
    try {
      other.seed({ users: [{ username: "zed", email: "zed@example.com", password: "pw-of-zed-1" }] });
      const result = await runImporter(["--from", other.url, ...targetArgs(targets)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("another source database");
      expect(await query(targets.auth, "select 1 from app_user where username = 'zed'")).toHaveLength(0);
    } finally {
      await other.drop();
    }
  });
});

test("a run stopped with SIGTERM, then one killed with SIGKILL half-way: the next run resumes without duplicates", async () => {
  const source = await createDrfSource("import_kill");
  const targets = await createTargets();
  try {
    source.seed({ users: [{ username: "seed", email: "seed@example.com", password: "pw-of-seed-1" }] });
    const [seed] = await source.sql<{ password: string }>("select password from auth_user");
    await bulkFill(source, { users: 4000, friendships: 3000, passwordHash: seed!.password });

    const accountCount = async () =>
      (await query<{ n: number }>(targets.auth, "select count(*)::int as n from app_user").catch(() => [{ n: 0 }]))[0]?.n ?? 0;
    /** Starts a run and sends it `signal` once `atLeast` accounts are in, long before the end. */
    const interruptedRun = async (signal: NodeJS.Signals, atLeast: number) => {
      const { child, done } = startImporter(["--from", source.url, ...targetArgs(targets), "--batch-size", "50"]);
      for (let i = 0; i < 1200 && (await accountCount()) < atLeast; i++) await new Promise((r) => setTimeout(r, 50));
      child.kill(signal);
      return done;
    };

    // Ctrl-C or SIGTERM: the batch in progress ends, the summary says so, exit 130.
    const stopped = await interruptedRun("SIGTERM", 300);
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain("interrupted");
    expect(stopped.summary).toMatchObject({ interrupted: true });
    expect(await accountCount()).toBeLessThan(4001);

    const killed = await interruptedRun("SIGKILL", 1000);
    expect(killed.signal).toBe("SIGKILL");
    const partial = { n: await accountCount() };
    expect(partial.n).toBeGreaterThanOrEqual(1000);
    expect(partial.n).toBeLessThan(4001);

    const resumed = await runImporter(["--from", source.url, ...targetArgs(targets)]);
    expect(resumed.code).toBe(0);
    expect(resumed.summary!.alreadyThere.users).toBe(partial.n);
    expect(resumed.summary!.imported.users + resumed.summary!.alreadyThere.users).toBe(4001);
    expect(resumed.summary!.imported.friendships + resumed.summary!.alreadyThere.friendships).toBe(3000);

    const accounts = await ids(targets.auth, "select id::text from app_user");
    expect(accounts).toHaveLength(4001);
    expect(await ids(targets.profile, "select user_id::text as id from profile")).toEqual(accounts);
    expect(await ids(targets.friendship, "select id::text from known_user")).toEqual(accounts);
    const [friendships] = await query<{ n: number; legacy: number }>(
      targets.friendship,
      "select count(*)::int as n, count(distinct legacy_id)::int as legacy from friendship",
    );
    expect(friendships).toEqual({ n: 3000, legacy: 3000 });
  } finally {
    await Promise.all([source.drop(), ...Object.values(targets).map((t) => t.drop())]);
  }
});

test("a mapping file reads a source whose tables, columns and statuses have other names", async () => {
  const source = await createDrfSource("import_mapped");
  const targets = await createTargets();
  try {
    source.seed({
      users: [
        { username: "kim", email: "kim@example.com", password: "pw-of-kim-1", bio: "Kim's bio" },
        { username: "lou", email: "lou@example.com", password: "pw-of-lou-1" },
      ],
      friendships: [{ requester: "kim", addressee: "lou", status: "accepted" }],
    });
    for (const statement of [
      "alter table auth_user rename to person",
      "alter table person rename column username to login",
      "alter table core_profile rename column bio to about",
      "create schema social",
      "alter table core_friendship set schema social",
      "alter table social.core_friendship rename to link",
      "update social.link set status = 'friends'",
    ])
      await source.sql(statement);
    const dir = mkdtempSync(path.join(tmpdir(), "mapping-"));
    const mapping = path.join(dir, "mapping.json");
    writeFileSync(
      mapping,
      JSON.stringify({
        users: { table: "person", columns: { username: "login" } },
        profiles: { columns: { bio: "about" } },
        friendships: { table: "social.link", statuses: { accepted: "friends", requested: "pending" } },
      }),
    );
    const result = await runImporter(["--from", source.url, ...targetArgs(targets), "--mapping", mapping]);
    expect(result.code).toBe(0);
    expect(result.summary).toMatchObject({ imported: { users: 2, friendships: 1 }, refused: [] });
    expect(await query(targets.profile, "select username, bio from profile order by username")).toEqual([
      { username: "kim", bio: "Kim's bio" },
      { username: "lou", bio: "" },
    ]);
    expect(await query(targets.friendship, "select status from friendship")).toEqual([{ status: "accepted" }]);
  } finally {
    await Promise.all([source.drop(), ...Object.values(targets).map((t) => t.drop())]);
  }
});
