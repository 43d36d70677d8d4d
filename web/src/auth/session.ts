import { type AccessClaims, readAccessClaims } from "./jwt.ts";
import type { RefreshTokenStore } from "./refresh-token-store.ts";

// The signed-in state of this tab. The access token lives only in this closure (never in storage), is
// renewed shortly before it expires, and every renewal rotates the refresh token (the old one is spent).

/** Why the tab is signed out; the login page says it in words. */
export type SignedOutReason = "logged-out" | "expired" | "logged-out-everywhere" | "password-reset" | "account-deleted";

export type SessionState =
  | { status: "restoring" }
  | { status: "signed-out"; reason?: SignedOutReason }
  | { status: "signed-in"; claims: AccessClaims };

export type TokenPair = { access: string; refresh: string };

/** The two AuthService calls the session makes (the generated client satisfies this). */
export type SessionAuthApi = {
  refreshToken(request: { refresh: string }): Promise<TokenPair>;
  logout(request: { refresh: string }): Promise<unknown>;
};

export type Session = {
  getState(): SessionState;
  subscribe(listener: () => void): () => void;
  /** After login or register. */
  signIn(tokens: TokenPair): void;
  /** On page load: trades a stored refresh token for a fresh pair, or settles on signed-out. */
  restore(): Promise<void>;
  /** Rotates now (one call at a time); false when the session could not be renewed and has ended. */
  refresh(): Promise<boolean>;
  /** The access token for the next call, renewed first when it is (nearly) expired. */
  accessTokenForCall(): Promise<string | undefined>;
  /** Revokes the session server-side and forgets every token. */
  logout(): Promise<void>;
  /**
   * Forgets every token without a call: for when the server has already ended the session (log out
   * everywhere, password reset, account deleted), so there is nothing left to revoke.
   */
  end(reason: SignedOutReason): void;
};

export type SessionOptions = {
  auth: SessionAuthApi;
  store: RefreshTokenStore;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** At most this long before expiry the refresh happens (less for very short-lived tokens). */
  refreshLeadMs?: number;
};

// Below this much remaining life a call refreshes first instead of sending a token about to be refused.
const MIN_REMAINING_FOR_CALL_MS = 5_000;

export function createSession(options: SessionOptions): Session {
  const { auth, store } = options;
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const refreshLeadMs = options.refreshLeadMs ?? 60_000;

  let state: SessionState = store.read() ? { status: "restoring" } : { status: "signed-out" };
  let access: string | undefined;
  /** Local clock time at which the access token expires (measured from `iat`, so clock skew does not matter). */
  let accessExpiresAt = 0;
  let timer: unknown;
  let inflight: Promise<boolean> | undefined;
  /** Counts the times the tokens were forgotten: a refresh that started before must not undo that. */
  let endings = 0;
  const listeners = new Set<() => void>();

  function setState(next: SessionState) {
    state = next;
    for (const listener of listeners) listener();
  }

  function cancelTimer() {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
  }

  function adopt(tokens: TokenPair) {
    const claims = readAccessClaims(tokens.access);
    const receivedAt = now();
    const lifetimeMs = claims.iat > 0 ? (claims.exp - claims.iat) * 1000 : claims.exp * 1000 - receivedAt;
    access = tokens.access;
    accessExpiresAt = receivedAt + lifetimeMs;
    store.write(tokens.refresh);
    cancelTimer();
    const lead = Math.min(refreshLeadMs, lifetimeMs / 5);
    timer = setTimer(
      () => {
        timer = undefined;
        void refresh();
      },
      Math.max(0, lifetimeMs - lead),
    );
    setState({ status: "signed-in", claims });
  }

  function forget(reason: SignedOutReason) {
    cancelTimer();
    access = undefined;
    accessExpiresAt = 0;
    store.clear();
    endings += 1;
    setState({ status: "signed-out", reason });
  }

  function refresh(): Promise<boolean> {
    if (inflight) return inflight;
    const refreshToken = store.read();
    if (!refreshToken) {
      if (state.status !== "signed-out") forget("expired");
      return Promise.resolve(false);
    }
    const endingsBefore = endings;
    inflight = (async () => {
      try {
        const tokens = await auth.refreshToken({ refresh: refreshToken });
        if (endings !== endingsBefore) return false; // ended meanwhile (end(), logout): stay signed out
        adopt(tokens);
        return true;
      } catch {
        // Spent, revoked or expired refresh token, or no answer: either way this session is over.
        if (endings === endingsBefore) forget("expired");
        return false;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signIn: adopt,
    async restore() {
      if (state.status !== "restoring") return;
      await refresh();
    },
    refresh,
    async accessTokenForCall() {
      if (inflight) await inflight;
      if (access && accessExpiresAt - now() < MIN_REMAINING_FOR_CALL_MS) await refresh();
      return access;
    },
    end(reason) {
      forget(reason);
    },
    async logout() {
      const refreshToken = store.read();
      if (inflight) await inflight.catch(() => false);
      const current = store.read() ?? refreshToken;
      forget("logged-out");
      if (current) {
        try {
          await auth.logout({ refresh: current });
        } catch {
          // Already revoked or unreachable: the tab has forgotten the tokens either way.
        }
      }
    },
  };
}
