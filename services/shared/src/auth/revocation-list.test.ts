import { createRevocationList } from "./revocation-list.ts";

test("a revoked session's and a deleted user's tokens are refused until the entry's end, then forgotten", () => {
  let t = 1_000_000;
  const list = createRevocationList(() => t);
  list.revokeSession("s1", new Date(t + 300_000));
  list.deleteUser("u2", new Date(t + 60_000));
  expect(list.refusal("u1", "s1")).toBe("session_revoked");
  expect(list.refusal("u1", "s2")).toBeUndefined();
  expect(list.refusal("u1", undefined)).toBeUndefined();
  expect(list.refusal("u2", "s9")).toBe("account_deleted");
  expect(list.size()).toBe(2);
  t += 60_000;
  expect(list.refusal("u2", "s9")).toBeUndefined();
  expect(list.size()).toBe(1);
  t += 240_000;
  expect(list.refusal("u1", "s1")).toBeUndefined();
  expect(list.size()).toBe(0);
});

test("an entry whose tokens have all expired is not kept; a later end wins over an earlier one", () => {
  let t = 5_000;
  const list = createRevocationList(() => t);
  list.revokeSession("old", new Date(t - 1));
  expect(list.size()).toBe(0);
  list.revokeSession("s", new Date(t + 10_000));
  list.revokeSession("s", new Date(t + 1_000));
  t += 5_000;
  expect(list.refusal("u", "s")).toBe("session_revoked");
});
