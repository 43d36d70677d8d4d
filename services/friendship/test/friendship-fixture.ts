// What the friendship integration suites share: the real service on a fresh PostgreSQL database, users
// seeded into its replica through its own consumer effects (the path a Kafka event takes), per-user clients,
// and a look at the outbox.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, type Code, ConnectError } from "@connectrpc/connect";
import { events, topics } from "@identity/proto/event-catalogue";
import { ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { FriendshipRequestedSchema } from "@identity/proto/identity/friendship/v1/friendship_events_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileUpdatedSchema } from "@identity/proto/identity/profile/v1/profile_events_pb.js";
import type { EventMessage } from "@identity/shared/events/event-bus.ts";
import { applyOnce } from "@identity/shared/events/event-consumer.ts";
import { newId } from "@identity/shared/ids.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import { type ServiceHarness, startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { createTestTokens, type TestTokens } from "@identity/shared/testing/test-tokens.ts";
import { applyProfileUpdated } from "../src/application/apply-profile-updated.ts";
import { applyUserDeleted } from "../src/application/apply-user-deleted.ts";
import { applyUserRegistered } from "../src/application/apply-user-registered.ts";
import { friendshipService } from "../src/definition.ts";
import { USERS_CONSUMER_GROUP, userEventEffects } from "../src/events/consumed.ts";

export interface TestUser {
  id: string;
  username: string;
  token: string;
  client: Client<typeof FriendshipService>;
}

export interface OutboxRow {
  key: string;
  type: string;
  topic: string;
  requesterId: string;
  addresseeId: string;
  actorId: string;
}

let counter = 0;

export function eventMessage(topic: string, type: string, key: string, value: Uint8Array, ceId = newId()): EventMessage {
  return {
    topic,
    key,
    value,
    headers: { ce_specversion: "1.0", ce_id: ceId, ce_type: type, ce_source: "test", "content-type": "application/protobuf" },
  };
}

export function userRegistered(id: string, username: string, ceId?: string): EventMessage {
  const value = create(UserRegisteredSchema, {
    userId: id,
    username,
    email: `${username}@example.com`,
    dateJoined: timestampFromDate(new Date()),
  });
  return eventMessage(topics.users, events.userRegistered.type, id, toBinary(UserRegisteredSchema, value), ceId);
}

export function profileUpdated(
  p: { id: string; username: string; displayName: string; avatarUrl?: string; updatedAt: Date },
  ceId?: string,
): EventMessage {
  const value = create(ProfileUpdatedSchema, {
    userId: p.id,
    username: p.username,
    displayName: p.displayName,
    avatarUrl: p.avatarUrl ?? "",
    updatedAt: timestampFromDate(p.updatedAt),
  });
  return eventMessage(topics.profiles, events.profileUpdated.type, p.id, toBinary(ProfileUpdatedSchema, value), ceId);
}

export interface FriendshipFixture {
  harness: ServiceHarness<ServiceModule>;
  tokens: TestTokens;
  /** A user known to the replica (user.registered applied), with a verified email unless told otherwise. */
  user(options?: { emailVerified?: boolean; registered?: boolean; displayName?: string }): Promise<TestUser>;
  /** Applies an event through the service's own consumer effects, exactly as the bus would. */
  consume(message: EventMessage): Promise<boolean>;
  outbox(key?: string): Promise<OutboxRow[]>;
  close(): Promise<void>;
}

/** `env`: the service's environment, e.g. FRIEND_REQUESTS_PER_ACCOUNT_LIMIT. */
export async function startFriendshipFixture(env: Record<string, string> = {}): Promise<FriendshipFixture> {
  const tokens = await createTestTokens();
  const harness = await startServiceHarness(friendshipService, { verifier: tokens.verifier, env });
  // The service's own effects (they need nothing but the consumer's transaction).
  const effects = userEventEffects({
    applyUserRegistered: applyUserRegistered(),
    applyProfileUpdated: applyProfileUpdated(),
    applyUserDeleted: applyUserDeleted(),
  });
  const consume = (message: EventMessage) => applyOnce(harness.orm, USERS_CONSUMER_GROUP, effects, message);
  return {
    harness,
    tokens,
    consume,
    async user(options = {}) {
      counter += 1;
      const id = newId();
      const username = `user${counter}_${id.slice(-6)}`;
      if (options.registered !== false) await consume(userRegistered(id, username));
      if (options.displayName !== undefined)
        await consume(profileUpdated({ id, username, displayName: options.displayName, updatedAt: new Date() }));
      const token = await tokens.accessToken({ userId: id, username, emailVerified: options.emailVerified ?? true });
      return { id, username, token, client: harness.client(FriendshipService, token) };
    },
    async outbox(key) {
      const rows = (await harness.orm.em
        .fork()
        .getConnection()
        .execute(
          `select key, type, topic, payload from outbox_event where topic = ?${key ? " and key = ?" : ""} order by occurred_at, id`,
          key ? [topics.friendships, key] : [topics.friendships],
        )) as { key: string; type: string; topic: string; payload: Buffer }[];
      // The four friendship events share one shape; any of their schemas reads them.
      return rows.map((r) => {
        const e = fromBinary(FriendshipRequestedSchema, r.payload);
        return { key: r.key, type: r.type, topic: r.topic, requesterId: e.requesterId, addresseeId: e.addresseeId, actorId: e.actorId };
      });
    },
    close: () => harness.close(),
  };
}

/** The reason (google.rpc.ErrorInfo) and code of a failed call. */
export async function failure(call: Promise<unknown>): Promise<{ code: Code; reason: string; message: string }> {
  try {
    await call;
  } catch (err) {
    const e = ConnectError.from(err);
    return { code: e.code, reason: e.findDetails(ErrorInfoSchema)[0]?.reason ?? "", message: e.rawMessage };
  }
  throw new Error("expected the call to fail");
}

/** The HTTP status a gateway would answer with (the x-http-status header, or 200). */
export function statusRecorder(): { onHeader(h: Headers): void; status(): number } {
  let value = 200;
  return {
    onHeader: (h) => {
      value = Number(h.get("x-http-status") ?? 200);
    },
    status: () => value,
  };
}
