// Hashes made by Django 3.2's own hashers (make_password with each of them), checked against the password
// they were made from and against a wrong one.
import { jest } from "@jest/globals";
import { djangoFormat, isUnusablePassword, verifyDjangoHash } from "../src/adapters/django-password-hashes.ts";
import { createPasswordHasher } from "../src/adapters/password-hasher.ts";

// Slow on purpose (bcrypt at cost 12, PBKDF2 at 260,000 iterations): room for a busy machine.
jest.setTimeout(30_000);

const PASSWORD = "pw-of-ann é ✓";
const DJANGO = {
  pbkdf2_sha256: "pbkdf2_sha256$260000$krOl92uuOOIMd9UOFDfJvh$W+yKeME9OVsKOzkGts+9/YMx1uYBhyxpLt2JQ5fTrzM=",
  pbkdf2_sha256_1000: "pbkdf2_sha256$1000$saltsalt1234$ONhGIaOrskHNg1LMX7PpzSfUM2M6xBMok4Rx1Uxkvho=",
  pbkdf2_sha1: "pbkdf2_sha1$260000$ctVNCoU4J5IbU9ozAYnKMO$KnGmAgZph8HpiDDsU5EGaU+KUEQ=",
  argon2: "argon2$argon2id$v=19$m=102400,t=2,p=8$c3k2M2FEUzhYZnQyYXg3RVBmUko1bg$mjvK5arA1IAYA2X0QCCx5w",
  bcrypt_sha256: "bcrypt_sha256$$2b$12$cu82nuwsSS7UensSDcUtMOFh0HBfZXkVvYDBbwz0tyZhD949HU4im",
};
const UNUSABLE = "!QYkRpqjBuOWiUhlbIbk7WHRxcZ6zm5ybLLETEcTM";

test.each(Object.entries(DJANGO))("a Django %s hash verifies its password and nothing else", async (_name, stored) => {
  expect(await verifyDjangoHash(stored, PASSWORD)).toBe(true);
  expect(await verifyDjangoHash(stored, "pw-of-ann é ✗")).toBe(false);
  expect(await verifyDjangoHash(stored, "")).toBe(false);
});

test("the iteration count is read from the hash", async () => {
  // The same salt and password with another count is another digest.
  expect(await verifyDjangoHash(DJANGO.pbkdf2_sha256_1000.replace("$1000$", "$1001$"), PASSWORD)).toBe(false);
});

test("unusable, malformed and unsupported hashes never verify, without throwing", async () => {
  for (const stored of [
    UNUSABLE,
    "!",
    "",
    "pbkdf2_sha256$abc$salt$AAAA",
    "pbkdf2_sha256$260000$salt$",
    "pbkdf2_sha256$99999999999$salt$AAAA",
    "argon2$garbage",
    "bcrypt_sha256$$2b$12$short",
    "md5$salt$0123456789abcdef0123456789abcdef",
  ]) {
    expect(await verifyDjangoHash(stored, PASSWORD)).toBe(false);
  }
  expect(isUnusablePassword(UNUSABLE)).toBe(true);
  expect(djangoFormat(UNUSABLE)).toBeUndefined();
  expect(djangoFormat("md5$salt$0123")).toBeUndefined();
  expect(djangoFormat(DJANGO.bcrypt_sha256)).toBe("bcrypt_sha256");
});

test("the login hasher verifies every format, asks to rehash Django's and makes Argon2id", async () => {
  const hasher = await createPasswordHasher({ legacyHashesPresent: () => false });
  for (const stored of Object.values(DJANGO)) {
    expect(await hasher.verify(stored, PASSWORD)).toBe(true);
    expect(hasher.needsRehash(stored)).toBe(true);
  }
  const fresh = await hasher.hash(PASSWORD);
  expect(fresh).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(await hasher.verify(fresh, PASSWORD)).toBe(true);
  expect(hasher.needsRehash(fresh)).toBe(false);
  expect(await hasher.verify(UNUSABLE, PASSWORD)).toBe(false);
  expect(hasher.needsRehash(UNUSABLE)).toBe(false);
  // An Argon2id hash with other parameters is replaced too.
  expect(hasher.needsRehash(DJANGO.argon2.slice("argon2".length))).toBe(true);
});

test("while Django hashes exist, a failed verification and an unknown user take as long as the slowest format", async () => {
  const hasher = await createPasswordHasher({ legacyHashesPresent: () => true });
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  await hasher.verifyDummy("warm up"); // measures the formats once
  const bcryptWrong = await time(() => hasher.verify(DJANGO.bcrypt_sha256, "wrong"));
  const pbkdf2Wrong = await time(() => hasher.verify(DJANGO.pbkdf2_sha256_1000, "wrong"));
  const unknown = await time(() => hasher.verifyDummy("wrong"));
  const unusable = await time(() => hasher.verify(UNUSABLE, "wrong"));
  // The floor is at least the cost of bcrypt at cost 12 (as measured, noise included), so the cheap paths are
  // held up to it; never past the 2 s cap.
  for (const cheap of [pbkdf2Wrong, unknown, unusable]) {
    expect(cheap).toBeGreaterThan(bcryptWrong * 0.8);
    expect(cheap).toBeLessThan(2_500);
  }
});
