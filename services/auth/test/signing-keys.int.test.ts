import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { createAccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { decodeProtectedHeader } from "jose";
import { createSigningKeyStore } from "../src/adapters/signing-key-store.ts";
import { RotationTooEarly, rotateSigningKeys } from "../src/application/rotate-signing-keys.ts";
import { type AuthHarness, dbExecute, registerUser, STRONG_PASSWORD, startAuth } from "./support.ts";

const KEY = Buffer.alloc(32, 7);
let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuth({ SIGNING_KEY_ENCRYPTION_KEY: KEY.toString("base64") });
});
afterAll(() => harness?.close());

const verifierOver = (keys: typeof harness.module.keys) =>
  createAccessTokenVerifier({ keys, issuer: "identity-platform", audiences: ["react-frontend"] });
const login = async (username: string) => harness.client(AuthService).login({ username, password: STRONG_PASSWORD });
const rotation = { now: () => new Date(), encryptionKey: KEY, publishDelaySeconds: 600, retainRetiredSeconds: 3600 };

test("first start created exactly one current and one next key; private keys are encrypted at rest", async () => {
  const rows = await dbExecute(harness, "select state, private_key from signing_key order by state");
  expect(rows.map((r) => r.state)).toEqual(["current", "next"]);
  // A PKCS#8 DER EC key starts with 0x30 0x81 0x87 0x02 0x01 0x00 0x30 0x13; the stored bytes do not.
  for (const r of rows) expect((r.private_key as Buffer).subarray(0, 3).equals(Buffer.from([0x30, 0x81, 0x87]))).toBe(false);
});

test("replicas starting together still create one current and one next key", async () => {
  await dbExecute(harness, "delete from signing_key where state = 'next' returning kid");
  const stores = Array.from({ length: 5 }, () =>
    createSigningKeyStore({ orm: harness.orm, encryptionKey: KEY, reloadIntervalSeconds: 30, logger: silentLogger() }),
  );
  await Promise.all(stores.map((s) => s.ensureKeys()));
  const rows = await dbExecute(harness, "select state, count(*)::int as n from signing_key group by state order by state");
  expect(rows).toEqual([
    { state: "current", n: 1 },
    { state: "next", n: 1 },
  ]);
  await harness.module.keyStore.reload();
});

test("a wrong encryption key cannot load the signing key", async () => {
  const store = createSigningKeyStore({
    orm: harness.orm,
    encryptionKey: Buffer.alloc(32, 9),
    reloadIntervalSeconds: 30,
    logger: silentLogger(),
  });
  await expect(store.reload()).rejects.toThrow();
});

test("rotation: a too-recent next key is not promoted without --force", async () => {
  await expect(rotateSigningKeys({ orm: harness.orm, ...rotation })()).rejects.toBeInstanceOf(RotationTooEarly);
});

test("rotation with no downtime: old tokens keep verifying, new tokens use the promoted key, replicas follow", async () => {
  const { username } = await registerUser(harness);
  const before = await login(username);
  const oldKid = decodeProtectedHeader(before.access).kid;
  // Another replica, already running with the keys as they were.
  const replica = createSigningKeyStore({
    orm: harness.orm,
    encryptionKey: KEY,
    reloadIntervalSeconds: 30,
    logger: silentLogger(),
    unknownKidCooldownMs: 0,
  });
  await replica.reload();
  const nextKid = replica.jwks().find((k) => k.kid !== oldKid)?.kid;

  const result = await rotateSigningKeys({ orm: harness.orm, ...rotation })({ force: true });
  expect(result).toMatchObject({ retired: oldKid, promoted: nextKid });
  await harness.module.keyStore.reload();

  const after = await login(username);
  expect(decodeProtectedHeader(after.access).kid).toBe(nextKid);
  const states = await dbExecute(harness, "select kid, state from signing_key");
  expect(Object.fromEntries(states.map((r) => [r.kid, r.state]))).toMatchObject({
    [oldKid!]: "retired",
    [nextKid!]: "current",
    [result.published]: "next",
  });
  // The retired key is still published, so tokens it signed stay valid until they expire.
  await expect(verifierOver(harness.module.keys).verify(before.access)).resolves.toBeDefined();
  await expect(harness.client(AuthService).refreshToken({ refresh: before.refresh })).resolves.toHaveProperty("access");
  // The replica had the promoted key already (it was published as `next`), and learns of the new one on demand.
  await expect(verifierOver(replica.keys).verify(after.access)).resolves.toBeDefined();
  expect((await harness.client(AuthService).getJwks({})).keys.map((k) => k.kid).sort()).toEqual([oldKid, nextKid, result.published].sort());
});

test("a retired key is removed once its tokens have expired", async () => {
  await dbExecute(harness, "update signing_key set remove_after = now() - interval '1 second' where state = 'retired' returning kid");
  const result = await rotateSigningKeys({ orm: harness.orm, ...rotation })({ force: true });
  expect(result.removed).toHaveLength(1);
  await harness.module.keyStore.reload();
  expect(harness.module.keyStore.jwks().map((k) => k.kid)).not.toContain(result.removed[0]);
});
