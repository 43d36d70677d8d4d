// GET /api/users/: every user but the caller, never an email, ordered by username, keyset pages; search
// from the start of any word of username or display name, case-insensitive.
import { Code, ConnectError } from "@connectrpc/connect";
import type { UserSummary } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { encodePageToken } from "@identity/shared/pagination.ts";
import { type ProfileKit, startProfileKit, type TestUser } from "./profile-test-kit.ts";

let kit: ProfileKit;
let caller: TestUser;
const usernames: string[] = [];

// Users whose names exercise the word rules; display names are set by the users themselves.
const named: Array<[username: string, displayName: string]> = [
  ["john_smith", "John Smith"],
  ["Johanna", "Jo Ann Berg"],
  ["mary-jo", "Mary Jo Kim"],
  ["smithers", "Waylon Smithers"],
  ["major", "Major Tom"],
  ["bojack", "Bojack Horseman"],
  ["obrien", "Conan O'Brien"],
  ["ALICE", "alice wonder"],
];

beforeAll(async () => {
  kit = await startProfileKit();
  caller = await kit.user("jo_caller");
  await kit.harness.client(ProfileService, caller.token).getMyProfile({});
  for (const [username, displayName] of named) {
    const user = await kit.user(username);
    await kit.harness.client(ProfileService, user.token).updateMyProfile({ displayName });
    usernames.push(username);
  }
  // A few hundred more, through the real consumer, ten at a time.
  for (let i = 0; i < 300; i += 10) {
    const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => kit.user(`user_${String(i + j).padStart(3, "0")}`)));
    await Promise.all(batch.map((u) => kit.deliver(kit.registered(u))));
    usernames.push(...batch.map((u) => u.username));
  }
  await kit.sql("analyze");
}, 60_000);
afterAll(async () => {
  await kit?.close();
});

const list = (request: { search?: string; pageSize?: number; pageToken?: string }) =>
  kit.harness.client(ProfileService, caller.token).listUsers(request);

async function walk(search: string, pageSize: number): Promise<{ users: UserSummary[]; pages: number }> {
  const users: UserSummary[] = [];
  let pageToken = "";
  let pages = 0;
  do {
    const page = await list({ search, pageSize, pageToken });
    expect(page.users.length).toBeLessThanOrEqual(pageSize);
    users.push(...page.users);
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken !== "" && pages < 1000);
  return { users, pages };
}

const byUsername = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

test("pages of 7 over every user: each seen exactly once, the caller never, ordered by username", async () => {
  const { users, pages } = await walk("", 7);
  const seen = users.map((u) => u.username);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual([...usernames].sort(byUsername));
  expect(seen).not.toContain("jo_caller");
  expect(pages).toBe(Math.ceil(usernames.length / 7));
});

test("page_size: 0 is the default 20, 100 is allowed, above 100 or negative is 400", async () => {
  expect((await list({})).users).toHaveLength(20);
  expect((await list({ pageSize: 100 })).users).toHaveLength(100);
  for (const pageSize of [101, 1000, -1]) {
    const err = await list({ pageSize }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
  }
});

test("a summary is id, username, display name and avatar: never an email", async () => {
  const answer = await kit.postJson("/identity.profile.v1.ProfileService/ListUsers", { search: "john" }, caller.token);
  expect(answer.status).toBe(200);
  const users = answer.body.users as Array<Record<string, unknown>>;
  expect(users.map((u) => u.username)).toEqual(["john_smith"]);
  for (const user of users) expect(Object.keys(user).every((k) => ["id", "username", "displayName", "avatarUrl"].includes(k))).toBe(true);
  expect(JSON.stringify(answer.body)).not.toContain("@example.com");
});

test("page tokens are opaque and cannot be forged into anything but a cursor", async () => {
  for (const pageToken of [
    "garbage!",
    "bm90IGpzb24",
    encodePageToken(["only one"]),
    encodePageToken(["a", 1] as never),
    encodePageToken(["a", "not-a-uuid"]),
    encodePageToken(["x' or '1'='1", "1' or '1'='1"]),
  ]) {
    const err = await list({ pageToken }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
  }
  // A well-formed token with SQL in its key is only a bound value: the page after "user_2' or 1=1 --".
  const injected = await list({ pageToken: encodePageToken(["user_2' or 1=1 --", "00000000-0000-7000-8000-000000000000"]), pageSize: 100 });
  expect(injected.users[0]?.username).toBe("user_200");
  expect(injected.users).toHaveLength(100);
});

const search = async (term: string) => (await walk(term, 3)).users.map((u) => u.username);

test("search matches the start of any word of the username or display name, case-insensitively", async () => {
  // john_smith (john), Johanna (username; display "Jo"), mary-jo (jo), never major or bojack (jo inside a word),
  // never the caller jo_caller.
  expect(await search("jo")).toEqual(["Johanna", "john_smith", "mary-jo"]);
  expect(await search("JO")).toEqual(["Johanna", "john_smith", "mary-jo"]);
  expect(await search("smi")).toEqual(["john_smith", "smithers"]);
  expect(await search("waylon")).toEqual(["smithers"]);
  expect(await search("horse")).toEqual(["bojack"]);
  expect(await search("o'b")).toEqual(["obrien"]);
  expect(await search("brien")).toEqual(["obrien"]);
  expect(await search("Alice")).toEqual(["ALICE"]);
  expect(await search("wonder")).toEqual(["ALICE"]);
  expect(await search("john_s")).toEqual(["john_smith"]);
  expect(await search("  john   SMITH ")).toEqual(["john_smith"]);
  expect(await search("smith john")).toEqual([]);
  expect(await search("jo kim")).toEqual(["mary-jo"]);
  expect(await search("Jo\tAnn b")).toEqual(["Johanna"]);
  expect(await search("conan o'b")).toEqual(["obrien"]);
  expect(await search("mith")).toEqual([]);
  expect(await search("%")).toEqual([]);
  expect(await search("_")).toEqual([]);
  expect(await search("user_01")).toEqual(Array.from({ length: 10 }, (_, i) => `user_01${i}`));
});

test("search follows display-name changes", async () => {
  const kim = await kit.user("kim");
  const client = kit.harness.client(ProfileService, kim.token);
  await client.updateMyProfile({ displayName: "Quentin Zebra" });
  expect(await search("zeb")).toEqual(["kim"]);
  await client.updateMyProfile({ displayName: "Kim" });
  expect(await search("zeb")).toEqual([]);
  expect(await search("kim")).toEqual(["kim", "mary-jo"]);
});

// At a few hundred users the planner may rightly read the small profile table whole; what matters is that
// the words are found through the prefix index. bench/profile-directory shows the plan at 100,000 users.
test("the search query finds words through the prefix index, never by scanning the prefix table", async () => {
  const { directoryQuery } = await import("../src/persistence/directory.repository.ts");
  const query = directoryQuery(kit.harness.orm.em.fork(), { excludeUserId: caller.userId, search: "jo", after: undefined, limit: 21 });
  const plan = (await query.explain()).map((r) => r["QUERY PLAN"]).join("\n");
  expect(plan).toMatch(/Index (Only )?Scan (using|on) profile_search_prefix_pkey/);
  expect(plan).toMatch(/Index Cond: \(.*prefix = 'jo'::text/);
  expect(plan).not.toMatch(/Seq Scan on profile_search_prefix/);
});
