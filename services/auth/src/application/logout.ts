// Logout (SimpleJWT's blacklist): revokes the session the refresh token belongs to, if it is alive.
import type { MikroORM } from "@mikro-orm/postgresql";
import { revokeSessionOf } from "../persistence/session.repository.ts";
import { type TokenIssuer, tokenNotValid } from "./ports.ts";
import type { Origin } from "./request-origin.ts";
import { type SessionsEndedDeps, sessionsEnded } from "./sessions-ended.ts";

export interface LogoutDeps extends SessionsEndedDeps {
  orm: MikroORM;
  tokens: Pick<TokenIssuer, "readRefresh">;
}

export function logout(deps: LogoutDeps) {
  return async (token: string, origin: Origin = {}): Promise<void> => {
    const { jti } = await deps.tokens.readRefresh(token);
    const ended = await deps.orm.em.fork().transactional(async (tx) => {
      const session = await revokeSessionOf(tx, jti);
      if (session) sessionsEnded(deps, tx, [session], "logout", origin);
      return session;
    });
    if (!ended) throw tokenNotValid();
  };
}
