// The caller's live sessions, newest first, the current one marked: what the owner sees to end one.
import type { Caller } from "@identity/shared/auth/caller.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { listLiveSessions } from "../persistence/session.repository.ts";

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string;
  clientAddress: string;
  current: boolean;
}

export interface ListSessionsDeps {
  orm: MikroORM;
  /** A session not refreshed within the refresh-token lifetime is idle: it is not listed. */
  config: Pick<AuthConfig, "refreshTokenTtlSeconds">;
}

export function listSessions(deps: ListSessionsDeps) {
  return async (caller: Caller): Promise<SessionView[]> => {
    const rows = await listLiveSessions(deps.orm.em.fork(), caller.userId, deps.config.refreshTokenTtlSeconds);
    return rows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      userAgent: s.userAgent,
      clientAddress: s.clientAddress,
      current: s.id === caller.sessionId,
    }));
  };
}
