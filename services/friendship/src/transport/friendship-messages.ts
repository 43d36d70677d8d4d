// Use-case answers -> contract messages, every field filled.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Friendship as FriendshipMessage, FriendshipSchema } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { type UserSummary as UserSummaryMessage, UserSummarySchema } from "@identity/proto/identity/profile/v1/profile_pb.js";
import type { FriendshipView } from "../persistence/friendship.repository.ts";
import type { UserSummary } from "../persistence/known-user.entity.ts";

export function userSummaryMessage(user: UserSummary): UserSummaryMessage {
  return create(UserSummarySchema, { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: user.avatarUrl });
}

export function friendshipMessage(view: FriendshipView): FriendshipMessage {
  return create(FriendshipSchema, {
    id: view.id,
    requester: userSummaryMessage(view.requester),
    addressee: userSummaryMessage(view.addressee),
    status: view.status,
    createdAt: timestampFromDate(view.createdAt),
    updatedAt: timestampFromDate(view.updatedAt),
  });
}
