// Topics and event types of the platform (the spec's "The same operations elsewhere").
export const topics = {
  users: "identity.users.v1",
  profiles: "identity.profiles.v1",
  friendships: "social.friendships.v1",
} as const;

export const eventTypes = {
  userRegistered: "user.registered",
  userEmailVerified: "user.email_verified",
  userEmailChanged: "user.email_changed",
  userPasswordChanged: "user.password_changed",
  userDeleted: "user.deleted",
  sessionRevoked: "session.revoked",
  profileUpdated: "profile.updated",
  friendshipRequested: "friendship.requested",
  friendshipAccepted: "friendship.accepted",
  friendshipRejected: "friendship.rejected",
  friendshipRemoved: "friendship.removed",
} as const;
