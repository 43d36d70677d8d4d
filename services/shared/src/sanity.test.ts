import { create, toJson } from "@bufbuild/protobuf";
import { UserSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { helper } from "./sanity-helper.ts";

test("generated code and .ts imports load under jest ESM", () => {
  const u = create(UserSchema, { username: "a" });
  expect(toJson(UserSchema, u, { useProtoFieldName: true, alwaysEmitImplicit: true })).toHaveProperty("email_verified", false);
  expect(helper()).toBe(1);
});
