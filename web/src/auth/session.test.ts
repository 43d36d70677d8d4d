import { describe, expect, it } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { makeToken } from "../test-support/tokens.ts";
import { createMemoryStore } from "./refresh-token-store.ts";
import { createSession, type SessionAuthApi } from "./session.ts";

/** A clock and a timer queue the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  const timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    pending: () => timers.map((t) => t.at - now),
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.run();
      }
    },
  };
}

function fakeAuth(clockSeconds: () => number) {
  const calls: { refreshed: string[]; loggedOut: string[] } = {
    refreshed: [],
    loggedOut: [],
  };
  let n = 0;
  let failNext = false;
  const api: SessionAuthApi = {
    async refreshToken({ refresh }) {
      calls.refreshed.push(refresh);
      if (failNext)
        throw apiError({
          code: Code.Unauthenticated,
          reason: "TOKEN_NOT_VALID",
        });
      n += 1;
      return {
        access: makeToken({ username: `gen${n}` }, clockSeconds()),
        refresh: `refresh-${n}`,
      };
    },
    async logout({ refresh }) {
      calls.loggedOut.push(refresh);
      return {};
    },
  };
  return { api, calls, failNextRefresh: () => (failNext = true) };
}

describe("session", () => {
  it("keeps the access token in memory and only the refresh token in the store", () => {
    const clock = manualClock();
    const store = createMemoryStore();
    const session = createSession({
      auth: fakeAuth(() => clock.now() / 1000).api,
      store,
      ...clock,
    });
    session.signIn({
      access: makeToken({}, clock.now() / 1000),
      refresh: "refresh-0",
    });
    expect(session.getState()).toMatchObject({
      status: "signed-in",
      claims: { username: "alice" },
    });
    expect(store.read()).toBe("refresh-0");
  });

  it("refreshes a minute before expiry and rotates the refresh token", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    const auth = fakeAuth(() => clock.now() / 1000);
    const session = createSession({ auth: auth.api, store, ...clock });
    session.signIn({
      access: makeToken({}, clock.now() / 1000),
      refresh: "refresh-0",
    });
    expect(clock.pending()).toEqual([240_000]); // 5-minute token, refreshed 60 s early

    clock.advance(239_999);
    expect(auth.calls.refreshed).toEqual([]);
    clock.advance(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(auth.calls.refreshed).toEqual(["refresh-0"]);
    await session.accessTokenForCall();
    expect(store.read()).toBe("refresh-1");
    expect(session.getState()).toMatchObject({
      status: "signed-in",
      claims: { username: "gen1" },
    });
    expect(clock.pending()).toEqual([240_000]);
  });

  it("does not trust the browser clock: the lifetime is measured from iat", () => {
    const clock = manualClock();
    const session = createSession({
      auth: fakeAuth(() => 0).api,
      store: createMemoryStore(),
      ...clock,
    });
    // Issued by a server whose clock is an hour behind the browser's.
    const serverNow = clock.now() / 1000 - 3600;
    session.signIn({
      access: makeToken({ iat: serverNow, exp: serverNow + 300 }),
      refresh: "r",
    });
    expect(clock.pending()).toEqual([240_000]);
  });

  it("refreshes only once when many calls need a token at the same time", async () => {
    const clock = manualClock();
    const auth = fakeAuth(() => clock.now() / 1000);
    const session = createSession({
      auth: auth.api,
      store: createMemoryStore(),
      ...clock,
    });
    session.signIn({
      access: makeToken({}, clock.now() / 1000),
      refresh: "refresh-0",
    });
    clock.clearTimer(1); // as if the tab slept through its timer
    clock.advance(299_000);
    const tokens = await Promise.all([session.accessTokenForCall(), session.accessTokenForCall()]);
    expect(auth.calls.refreshed).toEqual(["refresh-0"]);
    expect(tokens[0]).toBe(tokens[1]);
  });

  it("ends the session when the refresh is refused", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    const auth = fakeAuth(() => clock.now() / 1000);
    const session = createSession({ auth: auth.api, store, ...clock });
    session.signIn({
      access: makeToken({}, clock.now() / 1000),
      refresh: "refresh-0",
    });
    auth.failNextRefresh();
    expect(await session.refresh()).toBe(false);
    expect(session.getState()).toEqual({
      status: "signed-out",
      reason: "expired",
    });
    expect(store.read()).toBeNull();
    expect(await session.accessTokenForCall()).toBeUndefined();
  });

  it("restores from a stored refresh token on page load", async () => {
    const clock = manualClock();
    const auth = fakeAuth(() => clock.now() / 1000);
    const session = createSession({
      auth: auth.api,
      store: createMemoryStore("stored"),
      ...clock,
    });
    expect(session.getState()).toEqual({ status: "restoring" });
    await session.restore();
    expect(auth.calls.refreshed).toEqual(["stored"]);
    expect(session.getState().status).toBe("signed-in");
  });

  it("logs out: revokes server-side, forgets every token, stops refreshing", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    const auth = fakeAuth(() => clock.now() / 1000);
    const session = createSession({ auth: auth.api, store, ...clock });
    session.signIn({
      access: makeToken({}, clock.now() / 1000),
      refresh: "refresh-0",
    });
    await session.logout();
    expect(auth.calls.loggedOut).toEqual(["refresh-0"]);
    expect(store.read()).toBeNull();
    expect(clock.pending()).toEqual([]);
    expect(session.getState()).toEqual({
      status: "signed-out",
      reason: "logged-out",
    });
  });

  it("ends without a call when the server already ended the session, and says why", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    const auth = fakeAuth(() => clock.now() / 1000);
    const session = createSession({ auth: auth.api, store, ...clock });
    session.signIn({ access: makeToken({}, clock.now() / 1000), refresh: "refresh-0" });
    session.end("account-deleted");
    expect(session.getState()).toEqual({ status: "signed-out", reason: "account-deleted" });
    expect(store.read()).toBeNull();
    expect(clock.pending()).toEqual([]);
    expect(auth.calls.loggedOut).toEqual([]);
    expect(await session.accessTokenForCall()).toBeUndefined();
  });

  it("stays ended when a refresh that started before the end answers afterwards", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    let answer: (pair: { access: string; refresh: string }) => void = () => undefined;
    const session = createSession({
      auth: {
        refreshToken: () => new Promise((resolve) => (answer = resolve)),
        logout: async () => ({}),
      },
      store,
      ...clock,
    });
    session.signIn({ access: makeToken({}, clock.now() / 1000), refresh: "refresh-0" });
    const refreshing = session.refresh();
    session.end("logged-out-everywhere");
    answer({ access: makeToken({}, clock.now() / 1000), refresh: "refresh-1" });
    expect(await refreshing).toBe(false);
    expect(session.getState()).toEqual({ status: "signed-out", reason: "logged-out-everywhere" });
    expect(store.read()).toBeNull();
  });
});
