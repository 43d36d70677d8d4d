// The account lifecycle as the other services see it: auth, profile and friendship on their own databases,
// one event bus (the in-process one; the stack test does the same over Kafka and Envoy). A session that ends
// in auth is refused by profile and friendship within 2 s (measured); a deleted account's token is refused
// everywhere, its profile leaves the directory for good and its friendships end with their events.
import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { createAccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { createMemoryBus, type MemoryBus } from "@identity/shared/events/memory-bus.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { type ServiceHarness, startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { decodeJwt } from "jose";
import { type AuthModule, authService } from "../../services/auth/src/definition.ts";
import { failure, latestCode, registerUser, STRONG_PASSWORD, waitForMail, within } from "../../services/auth/test/support.ts";
import { friendshipService } from "../../services/friendship/src/definition.ts";
import { profileService } from "../../services/profile/src/definition.ts";

let bus: MemoryBus;
let auth: ServiceHarness<AuthModule>;
let profile: Awaited<ReturnType<typeof startServiceHarness<unknown, import("../../services/profile/src/definition.ts").ProfileModule>>>;
let friendship: ServiceHarness<import("@identity/shared/service-module.ts").ServiceModule>;

beforeAll(async () => {
  bus = createMemoryBus(silentLogger());
  auth = await startServiceHarness(authService, { bus });
  const verifier = createAccessTokenVerifier({ keys: auth.module.keys, issuer: "identity-platform", audiences: ["react-frontend"] });
  profile = await startServiceHarness(profileService as never, { bus, verifier });
  friendship = await startServiceHarness(friendshipService, { bus, verifier });
});
afterAll(async () => {
  await friendship?.close();
  await profile?.close();
  await auth?.close();
});

const NEW_PASSWORD = "a different passphrase 11";

async function refusedEverywhere(access: string, reason: string): Promise<number> {
  return within(2000, async () => {
    expect(await failure(profile.client(ProfileService, access).getMyProfile({}))).toMatchObject({ code: Code.Unauthenticated, reason });
    expect(await failure(friendship.client(FriendshipService, access).listFriendships({}))).toMatchObject({
      code: Code.Unauthenticated,
      reason,
    });
  });
}

/** A registered user with a verified address and a token that says so. */
async function verifiedUser() {
  const u = await registerUser(auth);
  await auth.client(AuthService, u.access).verifyEmail({ email: u.email, code: await latestCode(auth, u.email) });
  const pair = await auth.client(AuthService).login({ username: u.username, password: STRONG_PASSWORD });
  return { ...u, ...pair };
}

test("after a password change the other sessions' access tokens are refused by profile and friendship within 2 s", async () => {
  const { username, access } = await registerUser(auth);
  const other = await auth.client(AuthService).login({ username, password: STRONG_PASSWORD });
  await expect(profile.client(ProfileService, other.access).getMyProfile({})).resolves.toHaveProperty("profile");
  await expect(friendship.client(FriendshipService, other.access).listFriendships({})).resolves.toHaveProperty("friendships");

  const changed = await auth.client(AuthService, access).changePassword({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD });
  const took = await refusedEverywhere(other.access, "TOKEN_NOT_VALID");
  console.info(`password change: the other session's access token refused by profile and friendship after ${took} ms`);
  expect(took).toBeLessThan(2000);
  // The caller's new pair works everywhere.
  await expect(profile.client(ProfileService, changed.access).getMyProfile({})).resolves.toHaveProperty("profile");
});

test("after a password reset every earlier access token is refused by profile and friendship within 2 s", async () => {
  const { email, access } = await registerUser(auth);
  await expect(profile.client(ProfileService, access).getMyProfile({})).resolves.toHaveProperty("profile");
  await auth.client(AuthService).requestPasswordReset({ email });
  const token = /token=([A-Za-z0-9_-]{43})/.exec(await waitForMail(auth, email, /reset your password/i))?.[1] ?? "";
  await auth.client(AuthService).confirmPasswordReset({ token, newPassword: NEW_PASSWORD });
  const took = await refusedEverywhere(access, "TOKEN_NOT_VALID");
  console.info(`password reset: the old access token refused by profile and friendship after ${took} ms`);
  expect(took).toBeLessThan(2000);
});

test("deletion: tokens refused everywhere (ACCOUNT_DELETED), profile gone from the directory for good, friendships ended", async () => {
  const leaving = await verifiedUser();
  const friend = await verifiedUser();
  const asker = await verifiedUser();
  const leavingId = decodeJwt(leaving.access).sub as string;
  // A friendship and a pending request, both ways.
  const req = await friendship.client(FriendshipService, leaving.access).createFriendRequest({ addresseeId: friend.user!.id });
  await friendship.client(FriendshipService, friend.access).respondToFriendRequest({ id: req.friendship!.id, action: "accept" });
  await friendship.client(FriendshipService, asker.access).createFriendRequest({ addresseeId: leavingId });
  await expect(profile.client(ProfileService, leaving.access).getMyProfile({})).resolves.toHaveProperty("profile");

  await auth.client(AuthService, leaving.access).deleteAccount({ password: STRONG_PASSWORD });
  const took = await refusedEverywhere(leaving.access, "ACCOUNT_DELETED");
  console.info(`deletion: the deleted account's access token refused by profile and friendship after ${took} ms`);

  await within(3000, async () => {
    const { users } = await profile.client(ProfileService, friend.access).listUsers({ search: leaving.username });
    expect(users.map((u) => u.id)).not.toContain(leavingId);
    expect((await friendship.client(FriendshipService, friend.access).listFriendships({})).friendships).toHaveLength(0);
    expect((await friendship.client(FriendshipService, asker.access).listFriendships({})).friendships).toHaveLength(0);
  });
  const removed = await friendship.orm.em
    .fork()
    .getConnection()
    .execute<{ n: number }[]>("select count(*)::int as n from outbox_event where type = 'friendship.removed'");
  expect(removed[0]!.n).toBe(2);

  // Even past the revocation list (a service that has not heard of it yet), the token's claims do not
  // bring the profile back: the tombstone says the account is gone.
  await expect(profile.module.useCases.getMyProfile({ userId: leavingId, username: leaving.username })).rejects.toMatchObject({
    reason: "ACCOUNT_DELETED",
  });
  const rows = await profile.orm.em.fork().getConnection().execute("select 1 from profile where user_id = ?", [leavingId]);
  expect(rows).toHaveLength(0);

  // The same username and email register again, as a new account with a profile of its own.
  const again = await registerUser(auth, { username: leaving.username, email: leaving.email });
  expect(again.user!.id).not.toBe(leavingId);
  await expect(profile.client(ProfileService, again.access).getMyProfile({})).resolves.toMatchObject({
    profile: { username: leaving.username },
  });
});
