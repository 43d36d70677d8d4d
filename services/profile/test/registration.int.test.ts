// user.registered and read-your-writes: the profile exists as soon as the client holds a token, the event
// fills the names later without clobbering the user's edits, and a duplicate event has one effect.
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { type ProfileKit, startProfileKit } from "./profile-test-kit.ts";

let kit: ProfileKit;
beforeAll(async () => {
  kit = await startProfileKit();
});
afterAll(async () => {
  await kit?.close();
});

const profileRows = (userId: string) => kit.sql("select * from profile where user_id = ?", [userId]);
const creationEvents = async (userId: string) =>
  (await kit.sql("select id from outbox_event where key = ? and type = 'profile.updated'", [userId])).length;

test("the event creates the profile with first and last name; the same event delivered twice has one effect", async () => {
  const ann = await kit.user("ann", { firstName: "Ann", lastName: "Lee" });
  const message = kit.registered(ann);
  expect(await kit.deliver(message)).toBe(true);
  expect(await kit.deliver(message)).toBe(false);
  expect(await profileRows(ann.userId)).toHaveLength(1);
  expect(await creationEvents(ann.userId)).toBe(1);
  const { profile } = await kit.harness.client(ProfileService, ann.token).getMyProfile({});
  expect(profile).toMatchObject({ username: "ann", displayName: "ann", firstName: "Ann", lastName: "Lee" });
});

test("published twice on the in-process bus, the event still makes one profile", async () => {
  const ben = await kit.user("ben", { firstName: "Ben", lastName: "Ng" });
  const message = kit.registered(ben);
  await kit.harness.bus.publish([message, message]);
  const deadline = Date.now() + 5000;
  while (
    (await kit.sql("select 1 from processed_event where event_id = ?", [message.headers.ce_id])).length === 0 &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100)); // time for the second delivery
  expect(await profileRows(ben.userId)).toHaveLength(1);
  expect(await kit.sql("select 1 from processed_event where event_id = ?", [message.headers.ce_id])).toHaveLength(1);
  expect(await creationEvents(ben.userId)).toBe(1);
  expect((await profileRows(ben.userId))[0]).toMatchObject({ first_name: "Ben", last_name: "Ng" });
});

test("register, then read before the event: 200 at once; the event then fills the names of the same profile", async () => {
  const cy = await kit.user("cy", { firstName: "Cy", lastName: "Young" });
  const client = kit.harness.client(ProfileService, cy.token);
  const first = await client.getMyProfile({});
  expect(first.profile).toMatchObject({ userId: cy.userId, username: "cy", displayName: "cy", firstName: "", lastName: "" });

  expect(await kit.deliver(kit.registered(cy))).toBe(true);
  expect(await profileRows(cy.userId)).toHaveLength(1);
  const after = await client.getMyProfile({});
  expect(after.profile).toMatchObject({ displayName: "cy", firstName: "Cy", lastName: "Young" });
  expect(after.profile?.createdAt).toEqual(first.profile?.createdAt);
  expect(await creationEvents(cy.userId)).toBe(1); // the creation; filling names is not a second creation
});

test("names the user set before the event are theirs: the event fills only the other one", async () => {
  const dee = await kit.user("dee", { firstName: "Dee", lastName: "Dash" });
  const client = kit.harness.client(ProfileService, dee.token);
  await client.updateMyProfile({ firstName: "Deanna", displayName: "Deanna D." });
  await kit.deliver(kit.registered(dee));
  expect((await client.getMyProfile({})).profile).toMatchObject({ displayName: "Deanna D.", firstName: "Deanna", lastName: "Dash" });

  // Clearing a name is an edit too: the event must not put it back.
  const eli = await kit.user("eli", { firstName: "Eli", lastName: "Ek" });
  const eliClient = kit.harness.client(ProfileService, eli.token);
  await eliClient.replaceMyProfile({ displayName: "Eli", bio: "hi" });
  await kit.deliver(kit.registered(eli));
  expect((await eliClient.getMyProfile({})).profile).toMatchObject({ firstName: "", lastName: "", bio: "hi" });
});

test("first reads, an edit and the event racing for a new user make exactly one profile and one creation event", async () => {
  for (let round = 0; round < 5; round++) {
    const fay = await kit.user(`fay${round}`, { firstName: "Fay", lastName: "Fox" });
    const client = kit.harness.client(ProfileService, fay.token);
    const results = await Promise.all([
      client.getMyProfile({}),
      client.getMyProfile({}),
      client.updateMyProfile({ bio: "racing" }),
      kit.deliver(kit.registered(fay)),
      client.getMyProfile({}),
    ]);
    expect(results.filter((r) => r !== true && r !== false).length).toBe(4);
    expect(await profileRows(fay.userId)).toHaveLength(1);
    const { profile } = await client.getMyProfile({});
    expect(profile).toMatchObject({ username: `fay${round}`, firstName: "Fay", lastName: "Fox", bio: "racing" });
    // One creation, plus one for the bio change.
    expect(await creationEvents(fay.userId)).toBe(2);
  }
});

test("a user.registered that no retry can fix is poison (dead-lettered by the consumer), with no effect", async () => {
  const { PoisonMessageError } = await import("@identity/shared/events/event-bus.ts");
  const gil = await kit.user("gil");
  const garbage = { ...kit.registered(gil), value: new Uint8Array([0xff, 0xff, 0xff]) };
  await expect(kit.deliver(garbage)).rejects.toBeInstanceOf(PoisonMessageError);
  const noId = kit.registered({ ...gil, userId: "" });
  await expect(kit.deliver(noId)).rejects.toBeInstanceOf(PoisonMessageError);
  expect(await kit.sql("select 1 from processed_event where event_id in (?)", [[garbage.headers.ce_id, noId.headers.ce_id]])).toHaveLength(
    0,
  );
  expect(await profileRows(gil.userId)).toHaveLength(0);
});
