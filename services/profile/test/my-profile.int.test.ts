// GET/PUT/PATCH /api/profiles/me/ on the real service: semantics, limits, fields that are not editable,
// authentication, and the profile.updated outbox rows.
import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { ProfileUpdatedSchema } from "@identity/proto/identity/profile/v1/profile_events_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { type ProfileKit, startProfileKit, type TestUser } from "./profile-test-kit.ts";

let kit: ProfileKit;
beforeAll(async () => {
  kit = await startProfileKit();
});
afterAll(async () => {
  await kit?.close();
});

const client = (user: TestUser) => kit.harness.client(ProfileService, user.token);

async function expectViolation(call: Promise<unknown>, field: string): Promise<void> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  const connectError = err as ConnectError;
  expect(connectError.code).toBe(Code.InvalidArgument);
  const fields = connectError.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field));
  expect(fields).toContain(field);
}

const profileEvents = async (userId: string) => {
  const rows = await kit.sql<{ type: string; topic: string; key: string; payload: Buffer }>(
    "select type, topic, key, payload from outbox_event where key = ? order by occurred_at, id",
    [userId],
  );
  return rows.map((r) => ({ ...r, message: fromBinary(ProfileUpdatedSchema, r.payload) }));
};

test("GET creates the profile from the token, display name = username, every field filled", async () => {
  const ann = await kit.user("Ann_Lee");
  const { profile } = await client(ann).getMyProfile({});
  expect(profile).toMatchObject({
    userId: ann.userId,
    username: "Ann_Lee",
    displayName: "Ann_Lee",
    firstName: "",
    lastName: "",
    bio: "",
    avatarUrl: "",
  });
  expect(profile?.createdAt).toBeDefined();
  expect(profile?.updatedAt).toBeDefined();
  const again = await client(ann).getMyProfile({});
  expect(again.profile?.createdAt).toEqual(profile?.createdAt);
  expect(await kit.sql("select 1 from profile where user_id = ?", [ann.userId])).toHaveLength(1);
});

test("PUT replaces every editable field; a field left out becomes empty", async () => {
  const bob = await kit.user("bob");
  await client(bob).updateMyProfile({ bio: "old bio", avatarUrl: "https://example.com/b.png" });
  const { profile } = await client(bob).replaceMyProfile({ displayName: "Bobby", firstName: "Bob", lastName: "Stone" });
  expect(profile).toMatchObject({ username: "bob", displayName: "Bobby", firstName: "Bob", lastName: "Stone", bio: "", avatarUrl: "" });
  expect((await client(bob).getMyProfile({})).profile).toMatchObject({ displayName: "Bobby", bio: "", avatarUrl: "" });
});

test("PATCH changes only the given fields; an empty avatar_url clears it", async () => {
  const cy = await kit.user("cy");
  await client(cy).replaceMyProfile({
    displayName: "Cy",
    firstName: "C",
    lastName: "Y",
    bio: "hello",
    avatarUrl: "https://example.com/cy.png",
  });
  const { profile } = await client(cy).updateMyProfile({ bio: "changed" });
  expect(profile).toMatchObject({
    displayName: "Cy",
    firstName: "C",
    lastName: "Y",
    bio: "changed",
    avatarUrl: "https://example.com/cy.png",
  });
  const cleared = await client(cy).updateMyProfile({ avatarUrl: "" });
  expect(cleared.profile).toMatchObject({ bio: "changed", avatarUrl: "" });
});

test("limits: display_name 51, bio 501, first_name 151, http:// avatar are 400 naming the field, and change nothing", async () => {
  const dee = await kit.user("dee");
  await client(dee).updateMyProfile({ displayName: "Dee" });
  await expectViolation(client(dee).updateMyProfile({ displayName: "x".repeat(51) }), "display_name");
  await expectViolation(client(dee).replaceMyProfile({ displayName: "x".repeat(51) }), "display_name");
  await expectViolation(client(dee).updateMyProfile({ bio: "x".repeat(501) }), "bio");
  await expectViolation(client(dee).updateMyProfile({ firstName: "x".repeat(151) }), "first_name");
  await expectViolation(client(dee).updateMyProfile({ avatarUrl: "http://example.com/a.png" }), "avatar_url");
  await expectViolation(client(dee).replaceMyProfile({ displayName: "ok", avatarUrl: "not a url" }), "avatar_url");
  expect((await client(dee).getMyProfile({})).profile).toMatchObject({ displayName: "Dee", bio: "", avatarUrl: "" });
  // The limits themselves are allowed.
  const { profile } = await client(dee).updateMyProfile({ displayName: "x".repeat(50), bio: "y".repeat(500) });
  expect(profile?.displayName).toHaveLength(50);
});

test("a field that is not editable (Connect JSON) is invalid_argument and changes nothing", async () => {
  const eve = await kit.user("eve");
  await client(eve).updateMyProfile({ displayName: "Eve" });
  for (const [method, field] of [
    ["UpdateMyProfile", { username: "mallory" }],
    ["UpdateMyProfile", { is_staff: true }],
    ["ReplaceMyProfile", { user_id: "00000000-0000-7000-8000-000000000000" }],
    ["ReplaceMyProfile", { email_verified: true }],
  ] as const) {
    const answer = await kit.postJson(`/identity.profile.v1.ProfileService/${method}`, { display_name: "Hacked", ...field }, eve.token);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_argument");
  }
  // The same request without the extra field is accepted: it was the field that was refused.
  const ok = await kit.postJson("/identity.profile.v1.ProfileService/UpdateMyProfile", { bio: "via json" }, eve.token);
  expect(ok.status).toBe(200);
  expect((await client(eve).getMyProfile({})).profile).toMatchObject({ username: "eve", displayName: "Eve", bio: "via json" });
});

test("without a valid access token: unauthenticated, and no profile is created", async () => {
  const countProfiles = async () => Number((await kit.sql<{ n: string }>("select count(*) as n from profile"))[0]?.n);
  const before = await countProfiles();
  const anonymous = kit.harness.client(ProfileService);
  for (const call of [
    () => anonymous.getMyProfile({}),
    () => anonymous.updateMyProfile({ displayName: "x" }),
    () => anonymous.replaceMyProfile({}),
    () => anonymous.listUsers({}),
  ]) {
    await expect(call()).rejects.toMatchObject({ code: Code.Unauthenticated });
  }
  const forged = kit.harness.client(ProfileService, "not-a-jwt");
  await expect(forged.getMyProfile({})).rejects.toMatchObject({ code: Code.Unauthenticated });
  // The reasons the gateways give: no header at all, or a header that is not a valid bearer token.
  const reasonOf = (headers: Record<string, string>) =>
    anonymous.getMyProfile({}, { headers }).then(
      () => "answered",
      (err: unknown) => ConnectError.from(err).findDetails(ErrorInfoSchema)[0]?.reason,
    );
  expect(await reasonOf({})).toBe("NOT_AUTHENTICATED");
  expect(await reasonOf({ authorization: "Token abc" })).toBe("TOKEN_NOT_VALID");
  expect(await reasonOf({ authorization: "Bearer not-a-jwt" })).toBe("TOKEN_NOT_VALID");
  const json = await kit.postJson("/identity.profile.v1.ProfileService/GetMyProfile", {});
  expect(json.status).toBe(401);
  expect(await countProfiles()).toBe(before);
});

test("the caller is the token's subject: a header naming another user changes nothing", async () => {
  const fay = await kit.user("fay");
  const gus = await kit.user("gus");
  await client(gus).updateMyProfile({ displayName: "Gus" });
  const spoof = { "x-user-id": gus.userId, "x-forwarded-user": gus.userId, "x-username": "gus" };
  const answer = await kit.postJson("/identity.profile.v1.ProfileService/UpdateMyProfile", { display_name: "Fay" }, fay.token, spoof);
  expect((answer.body as { profile?: { userId?: string } }).profile?.userId).toBe(fay.userId);
  expect(answer.status).toBe(200);
  expect((await client(gus).getMyProfile({})).profile?.displayName).toBe("Gus");
  // And a header alone is no identity at all.
  const headerOnly = await kit.postJson("/identity.profile.v1.ProfileService/GetMyProfile", {}, undefined, spoof);
  expect(headerOnly.status).toBe(401);
});

test("profile.updated is written to the outbox exactly once per change, with the state after it", async () => {
  const hal = await kit.user("hal");
  await client(hal).getMyProfile({});
  await client(hal).getMyProfile({});
  expect(await profileEvents(hal.userId)).toHaveLength(1); // the creation

  await client(hal).updateMyProfile({ displayName: "Hal 9000" });
  await client(hal).updateMyProfile({ displayName: "Hal 9000" }); // no change: no event
  await expect(client(hal).updateMyProfile({ displayName: "x".repeat(51) })).rejects.toThrow(); // refused: no event
  await client(hal).updateMyProfile({ avatarUrl: "https://example.com/hal.png" });
  await client(hal).replaceMyProfile({ displayName: "HAL", avatarUrl: "https://example.com/hal.png" });

  const events = await profileEvents(hal.userId);
  expect(events.map((e) => [e.type, e.topic, e.key])).toEqual(Array(4).fill(["profile.updated", "identity.profiles.v1", hal.userId]));
  expect(events.map((e) => [e.message.displayName, e.message.avatarUrl])).toEqual([
    ["hal", ""],
    ["Hal 9000", ""],
    ["Hal 9000", "https://example.com/hal.png"],
    ["HAL", "https://example.com/hal.png"],
  ]);
  expect(events.every((e) => e.message.userId === hal.userId && e.message.username === "hal" && e.message.updatedAt)).toBe(true);
});

test("the outbox relay publishes profile.updated on identity.profiles.v1", async () => {
  const received: string[] = [];
  await kit.harness.bus.subscribe("test.profiles", ["identity.profiles.v1"], async (m) => {
    received.push(fromBinary(ProfileUpdatedSchema, m.value).displayName);
  });
  const ivy = await kit.user("ivy");
  await client(ivy).updateMyProfile({ displayName: "Ivy Published" });
  const deadline = Date.now() + 5000;
  while (!received.includes("Ivy Published") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  expect(received).toContain("Ivy Published");
});
