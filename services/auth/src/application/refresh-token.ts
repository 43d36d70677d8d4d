// Refresh-token rotation (SimpleJWT's TokenRefresh with rotation): the presented token is spent and its
// successor recorded in one compare-and-set, so of parallel presentations exactly one gets a new pair. A token
// that cannot be rotated is refused; when it was spent already, refresh-token reuse revokes the session
// (refresh-token-reuse.ts).
import { newId } from "@identity/shared/ids.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { rotateRefreshToken, type SessionClient } from "../persistence/session.repository.ts";
import { type TokenIssuer, type TokenPair, tokenNotValid } from "./ports.ts";
import { type RefreshTokenReuseDeps, refreshTokenReuseRevokesSession } from "./refresh-token-reuse.ts";
import type { Origin } from "./request-origin.ts";

export interface RefreshTokenDeps extends RefreshTokenReuseDeps {
  orm: MikroORM;
  tokens: TokenIssuer;
}

export function refreshToken(deps: RefreshTokenDeps) {
  return async (token: string, client: SessionClient, origin: Origin = {}): Promise<TokenPair> => {
    const { jti } = await deps.tokens.readRefresh(token);
    const successor = newId();
    const rotated = await rotateRefreshToken(deps.orm.em.fork(), jti, successor, client);
    if (!rotated) {
      await refreshTokenReuseRevokesSession(deps, jti, origin);
      throw tokenNotValid();
    }
    return deps.tokens.issue(
      { userId: rotated.userId, username: rotated.username, emailVerified: rotated.emailVerified },
      { id: rotated.sessionId, refreshJti: successor, expiresAt: rotated.sessionExpiresAt },
    );
  };
}
