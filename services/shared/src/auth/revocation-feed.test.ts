import { create, toBinary } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { SessionRevokedSchema, UserDeletedSchema, UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import type { EventMessage } from "../events/event-bus.ts";
import { applyRevocation, revocationGroup } from "./revocation-feed.ts";
import { createRevocationList } from "./revocation-list.ts";

const message = (type: string, value: Uint8Array): EventMessage => ({
  topic: "identity.users.v1",
  key: "u",
  value,
  headers: { ce_type: type, ce_id: "0190a0a0-0000-7000-8000-000000000000" },
});
const inFiveMinutes = () => timestampFromDate(new Date(Date.now() + 300_000));
const sessionRevoked = (sessionId: string, userId: string, accessTokensExpireAt: Timestamp) =>
  message("session.revoked", toBinary(SessionRevokedSchema, create(SessionRevokedSchema, { sessionId, userId, accessTokensExpireAt })));

test("session.revoked and user.deleted feed the list; other events and expired entries change nothing", () => {
  const list = createRevocationList();
  applyRevocation(list, sessionRevoked("s1", "u1", inFiveMinutes()));
  applyRevocation(
    list,
    message(
      "user.deleted",
      toBinary(UserDeletedSchema, create(UserDeletedSchema, { userId: "u2", accessTokensExpireAt: inFiveMinutes() })),
    ),
  );
  applyRevocation(list, sessionRevoked("old", "u1", timestampFromDate(new Date(Date.now() - 1000))));
  applyRevocation(list, message("user.registered", toBinary(UserRegisteredSchema, create(UserRegisteredSchema, { userId: "u3" }))));
  expect(list.refusal("u1", "s1")).toBe("session_revoked");
  expect(list.refusal("u2", "any")).toBe("account_deleted");
  expect(list.refusal("u1", "old")).toBeUndefined();
  expect(list.size()).toBe(2);
});

test("every process reads in a consumer group of its own", () => {
  const a = revocationGroup("profile");
  const b = revocationGroup("profile");
  expect(a).toMatch(/^profile\.revocations\./);
  expect(a).not.toBe(b);
});
