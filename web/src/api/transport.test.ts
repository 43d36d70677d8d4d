import { createClient, createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { createBearerInterceptor } from "./transport.ts";

function authBackend(onRefused: () => void, refuse: { sessions: boolean }) {
  const authorization: Record<string, string> = {};
  const transport = createRouterTransport(
    ({ service }) => {
      service(AuthService, {
        login(_req, ctx) {
          authorization.login = ctx.requestHeader.get("Authorization") ?? "";
          throw apiError({ code: Code.Unauthenticated, reason: "INVALID_CREDENTIALS" });
        },
        listSessions(_req, ctx) {
          authorization.listSessions = ctx.requestHeader.get("Authorization") ?? "";
          if (refuse.sessions) throw apiError({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
          return { sessions: [] };
        },
        deleteAccount(_req, ctx) {
          authorization.deleteAccount = ctx.requestHeader.get("Authorization") ?? "";
          throw apiError({ code: Code.InvalidArgument, reason: "PASSWORD_INCORRECT" });
        },
      });
    },
    { transport: { interceptors: [createBearerInterceptor(async () => "access-token", onRefused)] } },
  );
  return { client: createClient(AuthService, transport), authorization };
}

describe("bearer interceptor", () => {
  it("sends the access token to the AuthService methods about the caller's account, not to login", async () => {
    const { client, authorization } = authBackend(() => undefined, { sessions: false });
    await client.listSessions({});
    await client.login({ username: "alice", password: "x" }).catch(() => undefined);
    await client.deleteAccount({ password: "x" }).catch(() => undefined);
    expect(authorization).toEqual({ listSessions: "Bearer access-token", login: "", deleteAccount: "Bearer access-token" });
  });

  it("reports a refused access token, and nothing else", async () => {
    const onRefused = vi.fn();
    const { client } = authBackend(onRefused, { sessions: true });
    await expect(client.login({ username: "alice", password: "x" })).rejects.toThrow(); // 401 without a token
    await expect(client.deleteAccount({ password: "x" })).rejects.toThrow(); // 400 with a token
    expect(onRefused).not.toHaveBeenCalled();
    await expect(client.listSessions({})).rejects.toThrow();
    expect(onRefused).toHaveBeenCalledTimes(1);
  });
});
