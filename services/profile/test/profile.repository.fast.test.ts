// The profile repository against SQL, in the fast tier: creation happens once whoever asks first, and the
// hot read (a typed Kysely select, no hydration) gives exactly what the entity manager hydrates.
import { newId } from "@identity/shared/ids.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import { profileService } from "../src/definition.ts";
import { applyEdit, newProfile } from "../src/domain/profile.ts";
import {
  assignState,
  findProfile,
  findSummaries,
  insertIfMissing,
  lockProfile,
  readProfileState,
  toState,
} from "../src/persistence/profile.repository.ts";

let db: FastOrm;
beforeAll(async () => {
  db = await startFastOrm(profileService);
});
afterAll(() => db.close());

const t0 = new Date("2026-01-01T10:00:00.123Z");
const em = () => db.orm.em.fork();

test("insertIfMissing creates the profile once: true the first time, false after, the first values kept", async () => {
  const userId = newId();
  expect(await insertIfMissing(em(), newProfile({ userId, username: "first" }, t0))).toBe(true);
  expect(await insertIfMissing(em(), newProfile({ userId, username: "second" }, new Date()))).toBe(false);
  expect(await readProfileState(em(), userId)).toMatchObject({ username: "first", createdAt: t0 });
});

test("the hot read and the entity manager see the same profile, every field and both timestamps", async () => {
  const userId = newId();
  await insertIfMissing(em(), newProfile({ userId, username: "ann", firstName: "Ann" }, t0));
  await em().transactional(async (tx) => {
    const row = await lockProfile(tx, userId);
    const edit = { displayName: "Ann L", lastName: "Lee", bio: "hi", avatarUrl: "https://example.com/a.png" };
    if (row) assignState(row, applyEdit(toState(row), edit, new Date("2026-01-02T00:00:00.456Z")).next);
  });
  const hydrated = await findProfile(em(), userId);
  expect(hydrated).not.toBeNull();
  expect(await readProfileState(em(), userId)).toEqual(toState(hydrated!));
  expect(await readProfileState(em(), newId())).toBeUndefined();
});

test("findSummaries: the known users' summaries only", async () => {
  const userId = newId();
  await insertIfMissing(em(), newProfile({ userId, username: "bo" }, t0));
  expect(await findSummaries(em(), [userId, newId()])).toEqual([{ id: userId, username: "bo", displayName: "bo", avatarUrl: "" }]);
  expect(await findSummaries(em(), [])).toEqual([]);
});
