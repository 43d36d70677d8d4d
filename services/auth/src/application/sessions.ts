// Refresh-token rotation and logout. A refresh token is spent by its first use; presenting a spent one
// revokes its whole session, so a thief's copy and the owner's successor both die (replay detection).
import { newId } from "@identity/shared/ids.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import { revokeSessionOf, revokeSessionOnReplay, rotateRefreshToken } from "../persistence/session.repository.ts";
import type { AuthDeps } from "./auth-deps.ts";
import type { RequestOrigin } from "./request-origin.ts";
import { type TokenPair, tokenNotValid } from "./token-issuer.ts";

export async function refresh(deps: AuthDeps, token: string, origin: RequestOrigin): Promise<TokenPair> {
  const { jti, userId } = await deps.tokens.readRefresh(token);
  const em = deps.orm.em.fork();
  const successor = newId();
  const rotated = await rotateRefreshToken(em, jti, successor);
  if (!rotated) {
    // A spent token presented again: someone holds a copy. Its whole session dies.
    if (await revokeSessionOnReplay(em, jti)) {
      deps.securityLog.record(securityEvents.refreshTokenReused, { userId, client: origin.client, requestId: origin.requestId });
    }
    throw tokenNotValid();
  }
  return deps.tokens.issue(
    { userId: rotated.user_id, username: rotated.username, emailVerified: rotated.email_verified },
    successor,
    rotated.session_expires_at,
  );
}

export async function logout(deps: AuthDeps, token: string): Promise<void> {
  const { jti } = await deps.tokens.readRefresh(token);
  if (!(await revokeSessionOf(deps.orm.em.fork(), jti))) throw tokenNotValid();
}
