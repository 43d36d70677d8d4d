// UserLookupService.BatchGetUsers: for other backends only. End-user tokens are refused by the contract's
// access policy; the lookup itself returns summaries in the order asked, unknown ids left out.
import { Code } from "@connectrpc/connect";
import { ProfileService, UserLookupService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { hashApiKey } from "@identity/shared/auth/service-authenticator.ts";
import { newId } from "@identity/shared/ids.ts";
import { type ProfileKit, startProfileKit } from "./profile-test-kit.ts";

// Keys are configured by their SHA-256 only; the CMS holds the plaintext.
const cmsKey = "cms-key-0123456789abcdef0123456789abcdef";
const reportsKey = "reports-key-0123456789abcdef0123456789ab";

let kit: ProfileKit;
beforeAll(async () => {
  kit = await startProfileKit({
    SERVICE_API_KEYS: [
      `cms:${hashApiKey(cmsKey)}:identity.profile.v1.UserLookupService`,
      `reports:${hashApiKey(reportsKey)}:identity.friendship.v1.FriendGraphService`,
    ].join(";"),
  });
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

test("a scoped API key in the x-api-key header may call it; a wrong key or a key of another scope may not", async () => {
  const ann = await kit.user("ann3");
  await kit.harness.client(ProfileService, ann.token).getMyProfile({});
  const lookup = kit.harness.client(UserLookupService);
  const call = (headers: Record<string, string>) => lookup.batchGetUsers({ ids: [ann.userId] }, { headers });

  await expect(call({ "x-api-key": cmsKey })).resolves.toMatchObject({ users: [{ id: ann.userId, username: "ann3" }] });
  await expect(call({ "x-api-key": `${cmsKey}x` })).rejects.toMatchObject({ code: Code.Unauthenticated });
  await expect(call({ "x-api-key": reportsKey })).rejects.toMatchObject({ code: Code.PermissionDenied });
  // An API key never stands in for a user, nor a user token for a service.
  await expect(kit.harness.client(ProfileService).getMyProfile({}, { headers: { "x-api-key": cmsKey } })).rejects.toMatchObject({
    code: Code.Unauthenticated,
  });
  await expect(call({ authorization: `Bearer ${ann.token}` })).rejects.toMatchObject({ code: Code.Unauthenticated });
});
