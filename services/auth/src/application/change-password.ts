// Password change with the current password: every other session ends; the caller's session goes on with a
// new pair (its earlier refresh tokens are dropped, so a copy of one is worthless).
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { passwordProblem } from "../domain/password-policy.ts";
import { recordUserPasswordChanged } from "../events/published.ts";
import {
  findLiveSession,
  restartRefreshTokens,
  revokeSessionsOfUser,
  sessionClient,
  startSession,
} from "../persistence/session.repository.ts";
import { setPasswordHash } from "../persistence/user.repository.ts";
import { type CurrentPasswordDeps, checkCurrentPassword } from "./current-password.ts";
import type { PasswordHasher, TokenIssuer, TokenPair } from "./ports.ts";
import { type SessionsEndedDeps, sessionsEnded } from "./sessions-ended.ts";

export interface ChangePasswordDeps extends CurrentPasswordDeps, SessionsEndedDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "limits" | "accessTokenTtlSeconds" | "sessionMaxLifetimeSeconds">;
  hasher: Pick<PasswordHasher, "hash" | "verify">;
  tokens: Pick<TokenIssuer, "issue">;
}

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
  client: string;
  requestId?: string;
  userAgent?: string | null;
}

export function changePassword(deps: ChangePasswordDeps) {
  return async (caller: Caller, input: ChangePasswordInput): Promise<TokenPair> => {
    const em = deps.orm.em.fork();
    const user = await checkCurrentPassword(deps, em, caller, {
      password: input.currentPassword,
      client: input.client,
      requestId: input.requestId,
      field: "current_password",
    });
    const problem = passwordProblem(input.newPassword, user);
    if (problem) throw domainError(ErrorReason.PASSWORD_TOO_COMMON, { variant: problem.variant, field: "new_password" });
    const passwordHash = await deps.hasher.hash(input.newPassword);
    const refreshJti = newId();
    const changedAt = deps.now();
    const session = await em.transactional(async (tx) => {
      await setPasswordHash(tx, user.id, passwordHash);
      recordUserPasswordChanged(tx, user.id, "change", changedAt);
      const current = caller.sessionId ? await findLiveSession(tx, user.id, caller.sessionId, changedAt) : undefined;
      sessionsEnded(deps, tx, await revokeSessionsOfUser(tx, user.id, current?.id), "password_changed", input);
      if (current) {
        await restartRefreshTokens(tx, current.id, refreshJti);
        return { id: current.id, expiresAt: current.expiresAt };
      }
      // A token from before sessions were named in tokens, or of a session that just ended: a new session.
      const fresh = { id: newId(), expiresAt: new Date(changedAt.getTime() + deps.config.sessionMaxLifetimeSeconds * 1000) };
      await startSession(tx, { ...fresh, userId: user.id, refreshJti, client: sessionClient(input.userAgent, input.client) });
      return fresh;
    });
    deps.securityLog.record(securityEvents.passwordChanged, { userId: user.id, client: input.client, requestId: input.requestId });
    return deps.tokens.issue(
      { userId: user.id, username: user.username, emailVerified: user.emailVerified },
      { id: session.id, refreshJti, expiresAt: session.expiresAt },
    );
  };
}
