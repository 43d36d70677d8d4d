import { create } from "@bufbuild/protobuf";
import { createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileService, UserSummarySchema } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createApiClients } from "./api/clients.ts";
import { createBearerInterceptor } from "./api/transport.ts";
import { App, createQueryClient } from "./app.tsx";
import { createMemoryStore } from "./auth/refresh-token-store.ts";
import { createSession, type Session } from "./auth/session.ts";
import { apiError, Code } from "./test-support/connect-errors.ts";
import { makeToken } from "./test-support/tokens.ts";

const people = Array.from({ length: 13 }, (_, i) =>
  create(UserSummarySchema, {
    id: `0190a0a0-0000-7000-8000-0000000001${String(i).padStart(2, "0")}`,
    username: `user${String(i).padStart(2, "0")}`,
    displayName: i === 0 ? "Bob Builder" : "",
  }),
);

/** The app on an in-memory Connect backend: same clients, interceptor and error encoding as in the browser. */
function renderApp(options: { emailVerified: boolean }) {
  const seen = {
    authorization: [] as string[],
    pageTokens: [] as string[],
    requested: [] as string[],
  };
  let session: Session | undefined;
  const transport = createRouterTransport(
    ({ service }) => {
      service(ProfileService, {
        listUsers(req, ctx) {
          seen.authorization.push(ctx.requestHeader.get("Authorization") ?? "");
          seen.pageTokens.push(req.pageToken);
          const start = req.pageToken ? Number(req.pageToken) : 0;
          const users = people.slice(start, start + req.pageSize);
          const next = start + req.pageSize < people.length ? String(start + req.pageSize) : "";
          return { users, nextPageToken: next };
        },
      });
      service(FriendshipService, {
        listFriendships: () => ({ friendships: [] }),
        createFriendRequest(req) {
          seen.requested.push(req.addresseeId);
          if (!options.emailVerified) {
            throw apiError({
              code: Code.PermissionDenied,
              reason: "EMAIL_NOT_VERIFIED",
              message: "verify first",
            });
          }
          return {
            friendship: {
              id: "0190a0a0-0000-7000-8000-00000000f001",
              status: "requested",
              requester: { id: "me", username: "alice" },
              addressee: people[0],
            },
          };
        },
      });
      service(AuthService, {});
    },
    {
      transport: {
        interceptors: [createBearerInterceptor(() => session?.accessTokenForCall() ?? Promise.resolve(undefined))],
      },
    },
  );
  const clients = createApiClients(transport);
  session = createSession({ auth: clients.auth, store: createMemoryStore() });
  const access = makeToken({ email_verified: options.emailVerified });
  session.signIn({ access, refresh: "refresh-token" });
  window.location.hash = "#/directory";
  render(
    <App
      transport={transport}
      clients={clients}
      session={session}
      config={{ apiBaseUrl: "http://api.test", devMailbox: "off" }}
      queryClient={createQueryClient()}
    />,
  );
  return { seen, access };
}

describe("App, directory", () => {
  it("sends the bearer token and loads more with page_token", async () => {
    const { seen, access } = renderApp({ emailVerified: true });
    await screen.findByText("@user00");
    const list = screen.getByRole("list", { name: "People" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(10);
    expect(seen.authorization[0]).toBe(`Bearer ${access}`);

    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("user12", { selector: ".user-badge__name" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(13);
    expect(seen.pageTokens).toEqual(["", "10"]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("sends a friend request and says it is pending", async () => {
    const { seen } = renderApp({ emailVerified: true });
    await screen.findByText("@user00");
    fireEvent.click(screen.getByRole("button", { name: "Add friend Bob Builder" }));
    expect(await screen.findByText(/Friend request sent to Bob Builder/)).toBeTruthy();
    expect(seen.requested).toEqual([people[0]?.id]);
  });

  it("tells an unverified user why the request failed and how to verify", async () => {
    renderApp({ emailVerified: false });
    expect(screen.getByText(/Your email address is not verified yet/)).toBeTruthy();
    await screen.findByText("@user00");
    fireEvent.click(screen.getByRole("button", { name: "Add friend Bob Builder" }));
    const alert = await screen.findByText(/can't send friend requests until your email address is verified/, {
      selector: "[role=alert]",
    });
    const link = within(alert).getByRole("link", { name: "Verify your email" });
    expect(link.getAttribute("href")).toBe("#/verify");
  });
});
