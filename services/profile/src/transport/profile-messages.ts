// Domain values -> contract messages, every field filled.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Profile as ProfileMessage,
  ProfileSchema,
  type UserSummary as UserSummaryMessage,
  UserSummarySchema,
} from "@identity/proto/identity/profile/v1/profile_pb.js";
import type { Profile, UserSummary } from "../domain/profile.ts";

export function profileMessage(profile: Profile): ProfileMessage {
  return create(ProfileSchema, {
    userId: profile.userId,
    username: profile.username,
    displayName: profile.displayName,
    firstName: profile.firstName,
    lastName: profile.lastName,
    bio: profile.bio,
    avatarUrl: profile.avatarUrl,
    createdAt: timestampFromDate(profile.createdAt),
    updatedAt: timestampFromDate(profile.updatedAt),
  });
}

export function userSummaryMessage(summary: UserSummary): UserSummaryMessage {
  return create(UserSummarySchema, summary);
}
