// import:drf against the running stack (`npm run stack`): the services' databases on the stack's PostgreSQL
// (`--stack`), the services running with Kafka, and the users then logging in through Envoy with their
// Django passwords, seeing their profile and friendship, finding each other in the directory.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { jest } from "@jest/globals";
import { openDatabases } from "../../../test/stack/support/database.ts";
import { restClient, uniqueName } from "../../../test/stack/support/rest.ts";
import { repoRoot, requireStack } from "../../../test/stack/support/stack.ts";
import { createDrfSource, type DrfSource, type SeedUser } from "./drf-source.ts";
import { runImporter } from "./run-importer.ts";

jest.setTimeout(300_000);

const api = restClient("127.0.0.15");
const databases = openDatabases();
let source: DrfSource;

beforeAll(async () => {
  await requireStack();
  source = await createDrfSource("import_stack");
  // The stack's databases outlive a test run: ids this source has never used elsewhere keep legacy ids apart.
  const start = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  await source.sql(`alter sequence auth_user_id_seq restart with ${start}`);
  await source.sql(`alter sequence core_friendship_id_seq restart with ${start}`);
  // A stack kept from an earlier run holds that run's source as "the" source: this suite's source replaces it.
  await databases.query("auth", "delete from legacy_import_source");
});
afterAll(async () => {
  await databases.close();
  await source?.drop();
});

test("Django users imported into the stack log in through Envoy with their old passwords and find each other", async () => {
  const hashers = ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256"] as const;
  const users: SeedUser[] = hashers.map((hasher) => {
    const username = uniqueName("dj");
    return { username, email: `${username}@example.com`, password: `old password of ${username}`, hasher, bio: `I use ${hasher}.` };
  });
  const [first, second] = users as [SeedUser, SeedUser];
  source.seed({ users, friendships: [{ requester: first.username, addressee: second.username, status: "accepted" }] });

  const postgres = execFileSync("bash", [path.join(repoRoot, "scripts/components/postgres.sh"), "url"], { encoding: "utf8" }).trim();
  const result = await runImporter(["--from", source.url, "--to-postgres", postgres]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.summary).toMatchObject({ imported: { users: 4, friendships: 1 }, refused: [] });

  for (const user of users) {
    const login = await api.post("/api/auth/login/", { username: user.username, password: user.password });
    expect({ user: user.username, status: login.status }).toEqual({ user: user.username, status: 200 });
    const me = await api.get("/api/profiles/me/", login.body.access);
    expect(me.body).toMatchObject({ username: user.username, bio: user.bio });
  }
  const token = (await api.post("/api/auth/login/", { username: first.username, password: first.password })).body.access;
  const friends = await api.get("/api/friendships/", token);
  expect(friends.body.friendships).toEqual([
    expect.objectContaining({ status: "accepted", addressee: expect.objectContaining({ username: second.username }) }),
  ]);
  const found = await api.get(`/api/users/?search=${second.username}`, token);
  expect(found.body.users.map((u: { username: string }) => u.username)).toEqual([second.username]);

  // Auth, profile and friendship know the same users.
  const ids = (
    await databases.query<{ id: string }>("auth", "select id::text from app_user where legacy_id >= $1 order by id", [
      (await source.sql<{ min: string }>("select min(id)::text as min from auth_user"))[0]?.min,
    ])
  ).map((r) => r.id);
  expect(ids).toHaveLength(4);
  expect(await databases.count("profile", "select count(*)::int as n from profile where user_id = any($1::uuid[])", [ids])).toBe(4);
  expect(await databases.count("friendship", "select count(*)::int as n from known_user where id = any($1::uuid[])", [ids])).toBe(4);
  for (const id of ids) {
    const [row] = await databases.query<{ password_hash: string }>("auth", "select password_hash from app_user where id = $1", [id]);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
  }
});
