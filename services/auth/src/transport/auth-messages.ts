// Use-case results as the contract's messages: the account as AuthService answers with it.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type User, UserSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import type { UserView } from "../application/user-view.ts";

export function toUserMessage(user: UserView): User {
  return create(UserSchema, {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    firstName: user.firstName,
    lastName: user.lastName,
    dateJoined: timestampFromDate(user.dateJoined),
  });
}
