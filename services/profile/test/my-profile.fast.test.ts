// The profile's rules against SQL, in the fast tier (PGlite, the service's real migrations): a profile is
// created from the token's claims on first use with exactly one profile.updated, an edit records an event
// only when a value changed, user.registered fills only the names the user has not set, and a deleted user's
// profile never comes back. Concurrency on a real server is the integration tier's (registration.int.test.ts).
import { ErrorReason, reasonName } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { OutboxEntity } from "@identity/shared/outbox/outbox.entity.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import type { ProfileUseCases, ProfileUser } from "../src/application/use-cases.ts";
import { profileService, profileUseCases } from "../src/definition.ts";
import { ProfileEntity } from "../src/persistence/profile.entity.ts";

let db: FastOrm;
let useCases: ProfileUseCases;
let clock = new Date("2026-01-01T10:00:00.000Z");
beforeAll(async () => {
  db = await startFastOrm(profileService);
  useCases = profileUseCases(db.orm, () => clock);
});
afterAll(() => db.close());

const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
  return clock;
};
let n = 0;
const newUser = (): ProfileUser => ({ userId: newId(), username: `user_${++n}` });
/** The outbox rows keyed by the user: profile.updated is the only event this service publishes. */
const profileEvents = (userId: string) => db.orm.em.fork().count(OutboxEntity, { key: userId });
const profileRows = (userId: string) => db.orm.em.fork().count(ProfileEntity, { userId });
/** A consumer effect, inside a transaction of its own as the consumer runs it. */
const inConsumer = (effect: (em: Parameters<ProfileUseCases["applyUserDeleted"]>[0]) => Promise<void>) =>
  db.orm.em.fork().transactional(effect);

test("the first read creates the profile from the token's claims, displayed by the username, with one event", async () => {
  const user = newUser();
  const created = await useCases.getMyProfile(user);
  expect(created).toMatchObject({ ...user, displayName: user.username, firstName: "", bio: "", createdAt: clock, updatedAt: clock });
  later(5);
  expect(await useCases.getMyProfile(user)).toEqual(created);
  expect(await profileEvents(user.userId)).toBe(1);
});

test("an edit records profile.updated only when a value changed, and only then moves updated_at", async () => {
  const user = newUser();
  await useCases.getMyProfile(user);
  const editedAt = later(60);
  const edited = await useCases.updateMyProfile(user, { bio: "hello" });
  expect(edited).toMatchObject({ bio: "hello", updatedAt: editedAt });
  later(60);
  expect(await useCases.updateMyProfile(user, { bio: "hello" })).toMatchObject({ bio: "hello", updatedAt: editedAt });
  expect(await profileEvents(user.userId)).toBe(2);
  expect(await useCases.getMyProfile(user)).toMatchObject({ bio: "hello", updatedAt: editedAt });
});

test("PUT replaces every editable field, PATCH only the ones given; the first edit also creates the profile", async () => {
  const user = newUser();
  const fields = { displayName: "Ann", firstName: "Ann", lastName: "Lee", bio: "hi", avatarUrl: "https://example.com/a.png" };
  expect(await useCases.replaceMyProfile(user, fields)).toMatchObject(fields);
  expect(await useCases.updateMyProfile(user, { lastName: "" })).toMatchObject({ ...fields, lastName: "" });
  expect(await useCases.replaceMyProfile(user, { ...fields, bio: "", avatarUrl: "" })).toMatchObject({ bio: "", avatarUrl: "" });
  expect(await profileRows(user.userId)).toBe(1);
});

test("user.registered first creates the profile with the names; applied again it changes nothing", async () => {
  const user = { ...newUser(), firstName: "Bo", lastName: "Kim" };
  await inConsumer((em) => useCases.applyUserRegistered(em, user));
  await inConsumer((em) => useCases.applyUserRegistered(em, user));
  expect(await useCases.getMyProfile(user)).toMatchObject({ displayName: user.username, firstName: "Bo", lastName: "Kim" });
  expect(await profileEvents(user.userId)).toBe(1);
});

test("a late user.registered fills only the names the user has not set, and records no event", async () => {
  const user = newUser();
  await useCases.updateMyProfile(user, { lastName: "" });
  await inConsumer((em) => useCases.applyUserRegistered(em, { ...user, firstName: "Cy", lastName: "Lee" }));
  expect(await useCases.getMyProfile(user)).toMatchObject({ firstName: "Cy", lastName: "" });
  expect(await profileEvents(user.userId)).toBe(1);
});

test("a deleted user's profile is gone for good: their token gets ACCOUNT_DELETED, a late user.registered creates nothing", async () => {
  const user = newUser();
  await useCases.getMyProfile(user);
  await inConsumer((em) => useCases.applyUserDeleted(em, user.userId, clock));
  const gone = { reason: reasonName(ErrorReason.ACCOUNT_DELETED) };
  await expect(useCases.getMyProfile(user)).rejects.toMatchObject(gone);
  await expect(useCases.updateMyProfile(user, { bio: "back?" })).rejects.toMatchObject(gone);
  await inConsumer((em) => useCases.applyUserRegistered(em, { ...user, firstName: "", lastName: "" }));
  expect(await profileRows(user.userId)).toBe(0);
});
