import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { undeclaredReason } from "./declared-reasons.ts";

const refusal = (reason: string, code = Code.InvalidArgument) =>
  new ConnectError("refused", code, undefined, [{ desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason }) }]);

test("a reason the RPC declares or its policy implies passes", () => {
  expect(undeclaredReason(AuthService.method.register, refusal("USERNAME_TAKEN", Code.AlreadyExists))).toBeUndefined();
  expect(undeclaredReason(AuthService.method.listSessions, refusal("NOT_AUTHENTICATED", Code.Unauthenticated))).toBeUndefined();
  expect(undeclaredReason(FriendshipService.method.createFriendRequest, refusal("ALREADY_FRIENDS"))).toBeUndefined();
});

test("a reason the RPC does not declare is named, with the RPC", () => {
  expect(undeclaredReason(AuthService.method.login, refusal("SESSION_NOT_FOUND", Code.NotFound))).toBe(
    "/identity.auth.v1.AuthService/Login answered SESSION_NOT_FOUND, which its contract does not declare (identity.api.v1.policy errors)",
  );
  // NOT_AUTHENTICATED belongs to RPCs that need an access token, not to public ones.
  expect(undeclaredReason(AuthService.method.login, refusal("NOT_AUTHENTICATED", Code.Unauthenticated))).toMatch(/Login answered/);
});

test("errors without a reason, and other throws, are left as they are", () => {
  expect(undeclaredReason(AuthService.method.login, new ConnectError("internal error", Code.Internal))).toBeUndefined();
  expect(undeclaredReason(AuthService.method.login, new Error("socket hang up"))).toBeUndefined();
});
