// The directory and the batch lookup against SQL, in the fast tier (PGlite, the service's real migrations and
// search triggers): keyset pages over everyone but the caller in bytewise lower(username) order, search from
// the start of any word of username or display name, page tokens checked, summaries in the order asked.
import { ErrorReason, reasonName } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import type { DirectoryRequest, ProfileUseCases, ProfileUser } from "../src/application/use-cases.ts";
import { profileService, profileUseCases } from "../src/definition.ts";

let db: FastOrm;
let useCases: ProfileUseCases;
const caller: ProfileUser = { userId: newId(), username: "jo_caller" };
const users: ProfileUser[] = [];
// Usernames and the display names their users set: the word rules in miniature.
const named: Array<[username: string, displayName: string]> = [
  ["john_smith", "John Smith"],
  ["Johanna", "Jo Ann Berg"],
  ["mary-jo", "Mary Jo Kim"],
  ["smithers", "Waylon Smithers"],
  ["bojack", "Bojack Horseman"],
  ["ALICE", "alice wonder"],
  ["zed", "zed"],
];

beforeAll(async () => {
  db = await startFastOrm(profileService);
  useCases = profileUseCases(db.orm, () => new Date("2026-01-01T10:00:00Z"));
  await useCases.getMyProfile(caller);
  for (const [username, displayName] of named) {
    const user = { userId: newId(), username };
    await useCases.updateMyProfile(user, { displayName });
    users.push(user);
  }
});
afterAll(() => db.close());

const list = (request: Partial<DirectoryRequest>) => useCases.listUsers(caller, { search: "", pageSize: 0, pageToken: "", ...request });

async function walk(search: string, pageSize: number): Promise<string[]> {
  const seen: string[] = [];
  let pageToken = "";
  do {
    const page = await list({ search, pageSize, pageToken });
    expect(page.users.length).toBeLessThanOrEqual(pageSize);
    seen.push(...page.users.map((u) => u.username));
    pageToken = page.nextPageToken;
  } while (pageToken !== "" && seen.length < 100);
  return seen;
}

test("pages of 2 walk everyone but the caller once, ordered by lower(username) bytewise", async () => {
  expect(await walk("", 2)).toEqual(["ALICE", "bojack", "Johanna", "john_smith", "mary-jo", "smithers", "zed"]);
  expect((await list({ pageSize: 7 })).nextPageToken).toBe("");
});

test("a search matches from the start of any word of the username or display name, case-insensitively", async () => {
  expect(await walk("jo", 1)).toEqual(["Johanna", "john_smith", "mary-jo"]);
  expect(await walk("  SMI ", 2)).toEqual(["john_smith", "smithers"]);
  expect(await walk("jo kim", 2)).toEqual(["mary-jo"]);
  expect(await walk("mith", 2)).toEqual([]);
  expect(await walk("jo_caller", 2)).toEqual([]);
});

test("a directory page shows summaries only", async () => {
  const [alice] = (await list({ search: "alice" })).users;
  expect(alice).toEqual({ id: users[5]?.userId, username: "ALICE", displayName: "alice wonder", avatarUrl: "" });
});

test("a page token that is not a (username, user id) pair is INVALID_PAGE_TOKEN", async () => {
  const invalid = { reason: reasonName(ErrorReason.INVALID_PAGE_TOKEN) };
  await expect(list({ pageToken: "not-a-token" })).rejects.toMatchObject(invalid);
  const notAnId = Buffer.from(JSON.stringify(["a", "b"])).toString("base64url");
  await expect(list({ pageToken: notAnId })).rejects.toMatchObject(invalid);
});

test("batchGetUsers: summaries in the order asked, each id once, any case, unknown ids left out", async () => {
  const [john, johanna] = users;
  const found = await useCases.batchGetUsers([johanna!.userId, newId(), john!.userId.toUpperCase(), johanna!.userId]);
  expect(found.map((u) => u.username)).toEqual(["Johanna", "john_smith"]);
  expect(await useCases.batchGetUsers([])).toEqual([]);
});
