import { applyEdit, newProfile, reconcileRegistration } from "./profile.ts";

const t0 = new Date("2025-01-01T00:00:00Z");
const t1 = new Date("2025-01-02T00:00:00Z");
const fresh = () => newProfile({ userId: "u1", username: "ann" }, t0);

test("a new profile is displayed by its username, with nothing else set", () => {
  expect(fresh()).toMatchObject({
    displayName: "ann",
    firstName: "",
    lastName: "",
    bio: "",
    avatarUrl: "",
    firstNameEdited: false,
    lastNameEdited: false,
    createdAt: t0,
    updatedAt: t0,
  });
});

test("an edit reports exactly the fields that changed and moves updated_at only then", () => {
  const { next, changed } = applyEdit(fresh(), { displayName: "Ann", bio: "" }, t1);
  expect(changed).toEqual(["displayName"]);
  expect(next).toMatchObject({ displayName: "Ann", bio: "", updatedAt: t1 });
  const same = applyEdit(next, { displayName: "Ann" }, new Date("2030-01-01"));
  expect(same.changed).toEqual([]);
  expect(same.next.updatedAt).toEqual(t1);
});

test("a name given by the user, even unchanged or empty, is marked as theirs", () => {
  const { next } = applyEdit(fresh(), { firstName: "" }, t1);
  expect(next).toMatchObject({ firstNameEdited: true, lastNameEdited: false });
});

test("user.registered fills only the names the user has not set", () => {
  const edited = applyEdit(fresh(), { lastName: "" }, t1).next;
  const { next, changed } = reconcileRegistration(edited, { firstName: "Ann", lastName: "Lee" }, t1);
  expect(changed).toEqual(["firstName"]);
  expect(next).toMatchObject({ firstName: "Ann", lastName: "" });
  expect(reconcileRegistration(next, { firstName: "Ann", lastName: "Lee" }, t1).changed).toEqual([]);
});
