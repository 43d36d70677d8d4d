// What the profile service's integration tests share: the real service on a fresh database, signed access
// tokens, users, user.registered messages as auth publishes them, and raw Connect-JSON calls.
import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { events, topics } from "@identity/proto/event-catalogue";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import type { EventMessage } from "@identity/shared/events/event-bus.ts";
import { applyOnce } from "@identity/shared/events/event-consumer.ts";
import { newId } from "@identity/shared/ids.ts";
import { type ServiceHarness, startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { createTestTokens, type TestTokens } from "@identity/shared/testing/test-tokens.ts";
import { type ProfileModule, profileService } from "../src/definition.ts";
import { USERS_CONSUMER_GROUP } from "../src/events/consumed.ts";

export interface TestUser {
  userId: string;
  username: string;
  firstName: string;
  lastName: string;
  token: string;
}

export interface ProfileKit {
  harness: ServiceHarness<ProfileModule>;
  tokens: TestTokens;
  user(username: string, names?: { firstName?: string; lastName?: string }): Promise<TestUser>;
  /** user.registered as the auth service publishes it; pass the same ceId to redeliver. */
  registered(user: TestUser, ceId?: string): EventMessage;
  /** Applies a message through the service's idempotent consumer; false when it was a duplicate. */
  deliver(message: EventMessage): Promise<boolean>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** A Connect-protocol JSON POST, as a browser would send it. */
  postJson(
    path: string,
    body: unknown,
    token?: string,
    extraHeaders?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startProfileKit(env: Record<string, string> = {}): Promise<ProfileKit> {
  const tokens = await createTestTokens();
  const harness = await startServiceHarness(profileService, { verifier: tokens.verifier, env });
  return {
    harness,
    tokens,
    async user(username, names = {}) {
      const userId = newId();
      return {
        userId,
        username,
        firstName: names.firstName ?? "",
        lastName: names.lastName ?? "",
        token: await tokens.accessToken({ userId, username }),
      };
    },
    registered(user, ceId = newId()) {
      const value = toBinary(
        UserRegisteredSchema,
        create(UserRegisteredSchema, {
          userId: user.userId,
          username: user.username,
          email: `${user.username}@example.com`,
          firstName: user.firstName,
          lastName: user.lastName,
          dateJoined: timestampFromDate(new Date()),
        }),
      );
      return {
        topic: topics.users,
        key: user.userId,
        value,
        headers: {
          ce_specversion: "1.0",
          ce_id: ceId,
          ce_type: events.userRegistered.type,
          ce_source: "identity/auth",
          ce_time: new Date().toISOString(),
          "content-type": "application/protobuf",
        },
      };
    },
    deliver: (message) => applyOnce(harness.orm, USERS_CONSUMER_GROUP, harness.module.userEventEffects, message),
    async sql(query, params = []) {
      return (await harness.orm.em.fork().getConnection().execute(query, params, "all")) as never;
    },
    postJson(path, body, token, extraHeaders = {}) {
      return new Promise((resolve, reject) => {
        const session = http2.connect(harness.baseUrl);
        session.on("error", reject);
        const headers: http2.OutgoingHttpHeaders = {
          ":method": "POST",
          ":path": path,
          "content-type": "application/json",
          ...extraHeaders,
        };
        if (token) headers.authorization = `Bearer ${token}`;
        const req = session.request(headers);
        let status = 0;
        let text = "";
        req.on("response", (h) => {
          status = Number(h[":status"]);
        });
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => {
          text += chunk;
        });
        req.on("end", () => {
          session.close();
          resolve({ status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });
    },
    close: () => harness.close(),
  };
}
