// UserLookupService.BatchGetUsers: for other backends only. End-user tokens are refused by the contract's
// access policy; the lookup itself returns summaries in the order asked, unknown ids left out.
import { Code } from "@connectrpc/connect";
import { ProfileService, UserLookupService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { newId } from "@identity/shared/ids.ts";
import { type ProfileKit, startProfileKit } from "./profile-test-kit.ts";

let kit: ProfileKit;
beforeAll(async () => {
  kit = await startProfileKit();
});
afterAll(async () => {
  await kit?.close();
});

test("an end user, or nobody, cannot call it", async () => {
  const ann = await kit.user("ann");
  const ids = [ann.userId];
  await expect(kit.harness.client(UserLookupService, ann.token).batchGetUsers({ ids })).rejects.toMatchObject({
    code: Code.Unauthenticated,
  });
  await expect(kit.harness.client(UserLookupService).batchGetUsers({ ids })).rejects.toMatchObject({ code: Code.Unauthenticated });
});

test("summaries of known ids, in the order asked, each once; unknown ids left out", async () => {
  const ann = await kit.user("ann2");
  const bob = await kit.user("bob2");
  await kit.harness.client(ProfileService, ann.token).updateMyProfile({ displayName: "Ann", avatarUrl: "https://example.com/a.png" });
  await kit.harness.client(ProfileService, bob.token).getMyProfile({});
  const users = await kit.harness.module.useCases.batchGetUsers([bob.userId, newId(), ann.userId.toUpperCase(), bob.userId]);
  expect(users).toEqual([
    { id: bob.userId, username: "bob2", displayName: "bob2", avatarUrl: "" },
    { id: ann.userId, username: "ann2", displayName: "Ann", avatarUrl: "https://example.com/a.png" },
  ]);
});
