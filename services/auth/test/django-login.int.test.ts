// Accounts imported from the original DRF service keep their Django password hash until their first login,
// which verifies it and stores Argon2id instead, once. Inactive accounts and unusable passwords never log in.
import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { newId } from "@identity/shared/ids.ts";
import { jest } from "@jest/globals";
import { dbExecute, failure, uniqueName, useAuth } from "./support.ts";

// Made by Django 3.2's make_password("pw-of-ann é ✓", hasher=...).
const PASSWORD = "pw-of-ann é ✓";
const PBKDF2 = "pbkdf2_sha256$260000$krOl92uuOOIMd9UOFDfJvh$W+yKeME9OVsKOzkGts+9/YMx1uYBhyxpLt2JQ5fTrzM=";
const BCRYPT = "bcrypt_sha256$$2b$12$cu82nuwsSS7UensSDcUtMOFh0HBfZXkVvYDBbwz0tyZhD949HU4im";
const UNUSABLE = "!QYkRpqjBuOWiUhlbIbk7WHRxcZ6zm5ybLLETEcTM";

// Django's hashes are slow on purpose (bcrypt at cost 12: ~170 ms each, six at once on a busy 2-core machine).
jest.setTimeout(60_000);

const harness = useAuth({ LOGIN_FAILURES_PER_CLIENT_LIMIT: "1000" });
beforeAll(async () => {
  // Counts every change of a password hash: the upgrade must happen exactly once.
  await dbExecute(harness, "create table hash_changes (user_id uuid, at timestamptz default now())");
  await dbExecute(
    harness,
    `create function count_hash_change() returns trigger language plpgsql as $$
       begin insert into hash_changes (user_id) values (new.id); return new; end $$`,
  );
  await dbExecute(
    harness,
    `create trigger count_hash_change after update of password_hash on app_user
       for each row when (old.password_hash is distinct from new.password_hash) execute function count_hash_change()`,
  );
});

const auth = () => harness.client(AuthService);
let legacyId = 1000;

async function importedUser(passwordHash: string, isActive = true) {
  const id = newId();
  const username = uniqueName("dj");
  await dbExecute(
    harness,
    `insert into app_user (id, username, email, password_hash, email_verified, date_joined, legacy_id, is_active)
     values (?, ?, ?, ?, true, now(), ?, ?)`,
    [id, username, `${username}@example.com`, passwordHash, ++legacyId, isActive],
  );
  return { id, username };
}

async function storedHash(id: string): Promise<string> {
  const [row] = await dbExecute(harness, "select password_hash from app_user where id = ?", [id]);
  return String(row?.password_hash);
}

async function hashChanges(id: string): Promise<number> {
  const [row] = await dbExecute(harness, "select count(*)::int as n from hash_changes where user_id = ?", [id]);
  return Number(row?.n);
}

test("a Django hash logs in with the old password and is then replaced by Argon2id, which keeps working", async () => {
  const { id, username } = await importedUser(PBKDF2);
  await expect(auth().login({ username, password: PASSWORD })).resolves.toHaveProperty("access");
  expect(await storedHash(id)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  await expect(auth().login({ username, password: PASSWORD })).resolves.toHaveProperty("access");
  expect(await hashChanges(id)).toBe(1);
});

test("parallel first logins all succeed and upgrade the hash exactly once", async () => {
  const { id, username } = await importedUser(BCRYPT);
  const results = await Promise.all(Array.from({ length: 6 }, () => auth().login({ username, password: PASSWORD })));
  expect(results.every((r) => r.access.length > 0)).toBe(true);
  expect(await hashChanges(id)).toBe(1);
  expect(await storedHash(id)).toMatch(/^\$argon2id\$/);
});

test("a wrong password on a Django hash is the same 401 as an unknown user, and changes nothing", async () => {
  const { id, username } = await importedUser(PBKDF2);
  const wrong = await failure(auth().login({ username, password: "not it" }));
  const unknown = await failure(auth().login({ username: uniqueName("nobody"), password: "not it" }));
  expect(wrong).toMatchObject({ code: Code.Unauthenticated, reason: "INVALID_CREDENTIALS" });
  expect(unknown).toMatchObject({ code: wrong.code, reason: wrong.reason, message: wrong.message });
  expect(await storedHash(id)).toBe(PBKDF2);
});

test("an inactive account and an unusable password never log in, even with the right password", async () => {
  const inactive = await importedUser(PBKDF2, false);
  const unusable = await importedUser(UNUSABLE);
  for (const { username } of [inactive, unusable]) {
    expect(await failure(auth().login({ username, password: PASSWORD }))).toMatchObject({ reason: "INVALID_CREDENTIALS" });
    expect(await failure(auth().login({ username, password: UNUSABLE }))).toMatchObject({ reason: "INVALID_CREDENTIALS" });
  }
  expect(await storedHash(inactive.id)).toBe(PBKDF2);
});

test("while Django hashes remain, an unknown user takes as long as a wrong password on a bcrypt_sha256 account", async () => {
  const { username } = await importedUser(BCRYPT);
  // The service notices Django hashes within its 5 s probe interval.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  const time = async (name: string) => {
    const started = performance.now();
    await failure(auth().login({ username: name, password: "wrong password" }));
    return performance.now() - started;
  };
  await time(uniqueName("warm")); // the first failure measures the formats
  const wrong: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 6; i++) {
    wrong.push(await time(username));
    unknown.push(await time(uniqueName("nobody")));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Without the padding an unknown user costs one Argon2id verification, about a tenth of bcrypt at cost 12.
  expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.6);
  expect(median(unknown)).toBeLessThan(median(wrong) * 1.6);
});
