import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createRouterTransport } from "@connectrpc/connect";
import { AuthService, SessionSchema, UserSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createApiClients } from "./api/clients.ts";
import { createBearerInterceptor } from "./api/transport.ts";
import { App, createQueryClient } from "./app.tsx";
import { createMemoryStore } from "./auth/refresh-token-store.ts";
import { createSession, type Session } from "./auth/session.ts";
import { apiError, Code } from "./test-support/connect-errors.ts";
import { makeToken } from "./test-support/tokens.ts";

const THIS_SESSION = "0190a0a0-0000-7000-8000-00000000a001";
const OTHER_SESSION = "0190a0a0-0000-7000-8000-00000000a002";
const RESET_TOKEN = "r".repeat(43);

/**
 * The app on an in-memory AuthService for the lifecycle screens: same clients, interceptor (with the
 * refused-token hook) and error encoding as in the browser. `seen` records what reached the "server".
 */
function renderApp(hash: string, options: { signedIn?: boolean; sessionRevokedElsewhere?: boolean } = {}) {
  const seen = {
    listAuthorization: [] as string[],
    resetAuthorization: [] as string[],
    revoked: [] as string[],
    calls: [] as string[],
    reset: [] as { token: string; newPassword: string }[],
  };
  let session: Session | undefined;
  let liveSessions = [
    create(SessionSchema, {
      id: THIS_SESSION,
      createdAt: timestampFromDate(new Date("2026-12-01T07:00:00Z")),
      lastUsedAt: timestampFromDate(new Date("2026-12-01T07:10:00Z")),
      userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      clientAddress: "203.0.113.7",
      current: true,
    }),
    create(SessionSchema, {
      id: OTHER_SESSION,
      createdAt: timestampFromDate(new Date("2026-11-30T07:00:00Z")),
      lastUsedAt: timestampFromDate(new Date("2026-11-30T07:10:00Z")),
      userAgent: "curl/8.5.0",
      clientAddress: "198.51.100.9",
      current: false,
    }),
  ];
  const transport = createRouterTransport(
    ({ service }) => {
      service(AuthService, {
        listSessions(_req, ctx) {
          seen.listAuthorization.push(ctx.requestHeader.get("Authorization") ?? "");
          return { sessions: liveSessions };
        },
        revokeSession(req) {
          seen.revoked.push(req.id);
          liveSessions = liveSessions.filter((s) => s.id !== req.id);
          return {};
        },
        logoutAll() {
          seen.calls.push("logoutAll");
          return {};
        },
        deleteAccount(req) {
          if (req.password !== "Lantern-Orchard-58") throw apiError({ code: Code.InvalidArgument, reason: "PASSWORD_INCORRECT" });
          seen.calls.push("deleteAccount");
          return {};
        },
        changePassword() {
          return { access: makeToken({ username: "alice" }), refresh: "refresh-after-change" };
        },
        confirmEmailChange() {
          return { user: create(UserSchema, { email: "alice.new@example.com", emailVerified: true }) };
        },
        requestEmailChange: () => ({}),
        confirmPasswordReset(req, ctx) {
          seen.resetAuthorization.push(ctx.requestHeader.get("Authorization") ?? "");
          seen.reset.push({ token: req.token, newPassword: req.newPassword });
          return {};
        },
        refreshToken() {
          seen.calls.push("refreshToken");
          if (options.sessionRevokedElsewhere) throw apiError({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
          return { access: makeToken({}), refresh: "refresh-rotated" };
        },
        logout() {
          seen.calls.push("logout");
          return {};
        },
      });
      service(FriendshipService, {
        listFriendships() {
          throw apiError({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
        },
        listReceivedFriendRequests() {
          throw apiError({ code: Code.Unauthenticated, reason: "TOKEN_NOT_VALID" });
        },
      });
    },
    {
      transport: {
        interceptors: [
          createBearerInterceptor(
            () => session?.accessTokenForCall() ?? Promise.resolve(undefined),
            () => void session?.refresh(),
          ),
        ],
      },
    },
  );
  const clients = createApiClients(transport);
  const store = createMemoryStore();
  session = createSession({ auth: clients.auth, store });
  if (options.signedIn !== false) session.signIn({ access: makeToken({}), refresh: "refresh-token" });
  window.location.hash = hash;
  render(
    <App
      transport={transport}
      clients={clients}
      session={session}
      config={{ apiBaseUrl: "http://api.test", devMailbox: "off" }}
      queryClient={createQueryClient()}
    />,
  );
  return { seen, store, session };
}

const loginHeading = () => screen.findByRole("heading", { level: 1, name: "Log in" });

describe("App, security screen", () => {
  it("is in the main navigation and lists the sessions with the caller's token", async () => {
    const { seen } = renderApp("#/security");
    expect(screen.getByRole("navigation", { name: "Main" }).querySelector('a[href="#/security"]')?.getAttribute("aria-current")).toBe(
      "page",
    );
    const list = await screen.findByRole("list", { name: "Where you are logged in" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByText("This device")).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Security" })).toBe(document.activeElement);
    expect(seen.listAuthorization[0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("logs another session out and lists what is left", async () => {
    const { seen } = renderApp("#/security");
    const list = await screen.findByRole("list", { name: "Where you are logged in" });
    fireEvent.click(within(list).getByRole("button", { name: /^Log out curl at 198\.51\.100\.9/ }));
    await screen.findByText(/curl at 198\.51\.100\.9, .* is logged out\./);
    expect(seen.revoked).toEqual([OTHER_SESSION]);
    await vi.waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(1));
  });

  it("logs out everywhere: the tab forgets its tokens and the login page says why", async () => {
    const { seen, store } = renderApp("#/security");
    await screen.findByRole("list", { name: "Where you are logged in" });
    fireEvent.click(screen.getByRole("button", { name: "Log out everywhere" }));
    await loginHeading();
    expect(screen.getByText("You have logged out on every device.")).toBeTruthy();
    expect(store.read()).toBeNull();
    expect(seen.calls).toEqual(["logoutAll"]); // no further logout call: the server already ended the session
  });

  it("changes the password and keeps this tab signed in with the new pair", async () => {
    const { store, session } = renderApp("#/security");
    fireEvent.change(screen.getByLabelText(/^current password/i), { target: { value: "Old-Password-1" } });
    fireEvent.change(screen.getByLabelText(/^new password$/i), { target: { value: "New-Password-22" } });
    fireEvent.change(screen.getByLabelText(/^new password again/i), { target: { value: "New-Password-22" } });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    await screen.findByText(/Your password is changed/);
    expect(store.read()).toBe("refresh-after-change");
    expect(session.getState().status).toBe("signed-in");
  });

  it("changes the email address in two steps", async () => {
    renderApp("#/security");
    fireEvent.change(screen.getByLabelText(/^new email address/i), { target: { value: "alice.new@example.com" } });
    fireEvent.change(screen.getByLabelText(/^your password/i), { target: { value: "Lantern-Orchard-58" } });
    fireEvent.click(screen.getByRole("button", { name: "Send a code to the new address" }));
    fireEvent.change(await screen.findByLabelText(/^code from the email/i), { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Confirm new address" }));
    expect(await screen.findByText("Your email address is now alice.new@example.com.")).toBeTruthy();
  });

  it("takes the code from the mailbox's link, and drops it from the address once spent", async () => {
    renderApp("#/security?new_email=alice.new%40example.com&code=123456");
    const code = (await screen.findByLabelText(/^code from the email/i)) as HTMLInputElement;
    expect(code.value).toBe("123456");
    fireEvent.click(screen.getByRole("button", { name: "Confirm new address" }));
    expect(await screen.findByText("Your email address is now alice.new@example.com.")).toBeTruthy();
    expect(window.location.hash).toBe("#/security");
    expect(screen.getByText("Your email address is now alice.new@example.com.")).toBeTruthy();
    expect(screen.getByLabelText(/^new email address/i)).toBeTruthy();
  });

  it("deletes the account after the password confirms it", async () => {
    const { seen, store } = renderApp("#/security");
    fireEvent.click(screen.getByRole("button", { name: "Delete my account…" }));
    const confirmation = screen.getByRole("form", { name: "Confirm the deletion of your account" });
    fireEvent.change(within(confirmation).getByLabelText(/^your password/i), { target: { value: "wrong" } });
    fireEvent.click(within(confirmation).getByRole("button", { name: "Delete my account for good" }));
    await within(confirmation).findAllByText("This password is not right.");
    expect(seen.calls).toEqual([]);

    fireEvent.change(within(confirmation).getByLabelText(/^your password/i), { target: { value: "Lantern-Orchard-58" } });
    fireEvent.click(within(confirmation).getByRole("button", { name: "Delete my account for good" }));
    await loginHeading();
    expect(screen.getByText("Your account and everything in it have been deleted.")).toBeTruthy();
    expect(store.read()).toBeNull();
    expect(seen.calls).toEqual(["deleteAccount"]);
  });
});

describe("App, a session ended elsewhere", () => {
  it("a refused access token leads to the login page once the refresh token is refused too", async () => {
    const { seen, store } = renderApp("#/friends", { sessionRevokedElsewhere: true });
    await loginHeading();
    expect(screen.getByText("Your session has ended. Please log in again.")).toBeTruthy();
    expect(seen.calls).toContain("refreshToken");
    expect(store.read()).toBeNull();
  });
});

describe("App, forgotten password", () => {
  it("offers the reset from the login page, with the typed address", async () => {
    renderApp("#/login", { signedIn: false });
    await loginHeading();
    fireEvent.change(screen.getByLabelText(/username or email/i), { target: { value: "alice@example.com" } });
    const link = screen.getByRole("link", { name: "Forgot password?" });
    expect(link.getAttribute("href")).toBe("#/forgot-password?email=alice%40example.com");
  });

  it("sets the new password from the mailed link, then asks for a login with it", async () => {
    const { seen } = renderApp(`#/reset?token=${RESET_TOKEN}`, { signedIn: false });
    await screen.findByRole("heading", { level: 1, name: "Choose a new password" });
    fireEvent.change(screen.getByLabelText(/^new password$/i), { target: { value: "Lantern-Orchard-59" } });
    fireEvent.change(screen.getByLabelText(/^new password again/i), { target: { value: "Lantern-Orchard-59" } });
    fireEvent.click(screen.getByRole("button", { name: "Set new password" }));
    await loginHeading();
    expect(screen.getByText(/Your new password is set and every device was logged out/)).toBeTruthy();
    expect(seen.reset).toEqual([{ token: RESET_TOKEN, newPassword: "Lantern-Orchard-59" }]);
    expect(seen.resetAuthorization).toEqual([""]);
  });

  it("says so when the link lost its token", async () => {
    renderApp("#/reset?token=cut-sho", { signedIn: false });
    expect((await screen.findByRole("alert")).textContent).toMatch(/This link is incomplete/);
    expect(screen.queryByLabelText(/^new password$/i)).toBeNull();
  });
});
