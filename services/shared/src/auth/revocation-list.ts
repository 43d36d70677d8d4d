// Which still-unexpired access tokens are refused although their signature is good: those of ended sessions
// (by `sid`) and of deleted accounts (by `sub`). Fed by session.revoked / user.deleted (revocation-feed.ts).
// Each entry lives only until the last access token it can concern has expired (the event says when), so the
// list holds at most a few minutes of revocations and a lookup is two Map reads.

export type Refusal = "session_revoked" | "account_deleted";

export interface RevocationList {
  revokeSession(sessionId: string, until: Date): void;
  deleteUser(userId: string, until: Date): void;
  /** Why a token of this user and session is refused, or undefined when it is not. */
  refusal(userId: string, sessionId: string | undefined): Refusal | undefined;
  /** Entries held (after dropping the expired ones). */
  size(): number;
}

export function createRevocationList(now: () => number = Date.now): RevocationList {
  const sessions = new Map<string, number>();
  const users = new Map<string, number>();
  let nextPrune = 0;
  const prune = () => {
    const t = now();
    if (t < nextPrune) return;
    nextPrune = t + 10_000;
    for (const map of [sessions, users]) for (const [key, until] of map) if (until <= t) map.delete(key);
  };
  const add = (map: Map<string, number>, key: string, until: Date) => {
    prune();
    const t = until.getTime();
    if (t <= now()) return; // every token it could concern has expired already
    map.set(key, Math.max(t, map.get(key) ?? 0));
  };
  const live = (map: Map<string, number>, key: string) => {
    const until = map.get(key);
    return until !== undefined && until > now();
  };
  return {
    revokeSession: (sessionId, until) => add(sessions, sessionId, until),
    deleteUser: (userId, until) => add(users, userId, until),
    refusal(userId, sessionId) {
      if (live(users, userId)) return "account_deleted";
      if (sessionId !== undefined && live(sessions, sessionId)) return "session_revoked";
      return undefined;
    },
    size() {
      nextPrune = 0;
      prune();
      return sessions.size + users.size;
    },
  };
}
