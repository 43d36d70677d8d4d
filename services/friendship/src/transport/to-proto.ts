// Application views -> protobuf messages. Every field is filled.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Friendship, FriendshipSchema } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { type UserSummary, UserSummarySchema } from "@identity/proto/identity/profile/v1/profile_pb.js";
import type { FriendshipView } from "../persistence/friendship.repository.ts";
import type { UserSummaryRow } from "../persistence/known-user.repository.ts";

export const toUserSummary = (user: UserSummaryRow): UserSummary =>
  create(UserSummarySchema, { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: user.avatarUrl });

export const toFriendship = (view: FriendshipView): Friendship =>
  create(FriendshipSchema, {
    id: view.id,
    requester: toUserSummary(view.requester),
    addressee: toUserSummary(view.addressee),
    status: view.status,
    createdAt: timestampFromDate(view.createdAt),
    updatedAt: timestampFromDate(view.updatedAt),
  });
