// The importer's pure parts: what the platform refuses of a Django row, the mapping file, progress output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_MAPPING, loadMapping, MappingError, quoteName } from "../mapping.ts";
import { createProgress, formatBar, formatLine } from "../progress.ts";
import { acceptedProfile, accountRefusal, noteKinds, passwordNote, refusalReasons } from "../rules.ts";

const account = { username: "ann", email: "ann@example.com", firstName: "Ann", lastName: "Archer" };

test("Django usernames and emails the platform does not take are refused, with the reason", () => {
  expect(accountRefusal(account)).toBeUndefined();
  expect(accountRefusal({ ...account, username: "a.b_c.123" })).toBeUndefined();
  for (const username of ["gus+drf", "ann@home", "with space", "ab", "x".repeat(31), "dash-ed"])
    expect(accountRefusal({ ...account, username })).toBe(refusalReasons.invalidUsername);
  for (const email of ["", "not an email", "a@"]) expect(accountRefusal({ ...account, email })).toBe(refusalReasons.invalidEmail);
  expect(accountRefusal({ ...account, firstName: "x".repeat(151) })).toBe(refusalReasons.invalidName);
});

test("a profile keeps https avatars and short bios; others are dropped or cut, with a note", () => {
  const profile = { username: "ann", firstName: "", lastName: "", bio: "Hi", avatarUrl: "https://img.example.com/a.png" };
  expect(acceptedProfile(profile)).toEqual({ bio: "Hi", avatarUrl: "https://img.example.com/a.png", notes: [] });
  expect(acceptedProfile({ ...profile, avatarUrl: "http://img.example.com/a.png" })).toEqual({
    bio: "Hi",
    avatarUrl: "",
    notes: [noteKinds.avatarDropped],
  });
  const long = acceptedProfile({ ...profile, bio: "é".repeat(501) });
  expect([...long.bio]).toHaveLength(500);
  expect(long.notes).toEqual([noteKinds.bioTruncated]);
});

test("unusable and unsupported password hashes are noted", () => {
  const supported = (h: string) => h.startsWith("pbkdf2_sha256$");
  expect(passwordNote("pbkdf2_sha256$1$s$h", supported)).toBeUndefined();
  expect(passwordNote("!abc", supported)).toBe(noteKinds.unusablePassword);
  expect(passwordNote("md5$s$h", supported)).toBe(noteKinds.unsupportedHash);
});

test("a mapping file overrides some names, refuses unknown settings and anything but plain names", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mapping-"));
  const write = (content: unknown) => {
    const file = path.join(dir, `${Math.random()}.json`);
    writeFileSync(file, JSON.stringify(content));
    return file;
  };
  expect(loadMapping(undefined)).toBe(DEFAULT_MAPPING);
  const mapped = loadMapping(write({ users: { table: "accounts.person", columns: { username: "login" } }, profiles: { table: "" } }));
  expect(mapped.users.table).toBe("accounts.person");
  expect(mapped.users.columns).toEqual({ ...DEFAULT_MAPPING.users.columns, username: "login" });
  expect(mapped.profiles.table).toBe("");
  expect(mapped.friendships).toEqual(DEFAULT_MAPPING.friendships);
  expect(() => loadMapping(write({ users: { colums: {} } }))).toThrow(MappingError);
  expect(() => loadMapping(write({ users: { columns: { username: 'x"; drop table auth_user; --' } } }))).toThrow(MappingError);
  expect(() => loadMapping(write({ users: { table: 42 } }))).toThrow(MappingError);
  expect(quoteName("core.friend_ship", "t")).toBe('"core"."friend_ship"');
});

test("progress: a bar with rows/s and ETA on a terminal, plain lines otherwise", () => {
  const state = { phase: "users", done: 50_000, total: 200_000, elapsedMs: 10_000 };
  expect(formatBar(state, 8)).toBe("users       [##------]  25% 50,000/200,000 rows  5,000 rows/s  ETA 0:30");
  expect(formatLine(state)).toBe("import:drf: users 50000/200000 rows (25%), 5,000 rows/s, ETA 0:30");

  const written: string[] = [];
  const pipe = createProgress(10, { isTTY: false, write: (t: string) => written.push(t) });
  pipe.advance(5, "users");
  pipe.finish();
  expect(written.every((line) => line.startsWith("import:drf: ") && line.endsWith("\n"))).toBe(true);
  const drawn: string[] = [];
  const tty = createProgress(10, { isTTY: true, write: (t: string) => drawn.push(t) });
  tty.advance(10, "friendships");
  tty.finish();
  expect(drawn[0]?.startsWith("\r\x1b[Kfriendships [########################] 100% 10/10 rows")).toBe(true);
  expect(drawn.at(-1)).toBe("\n");
});
