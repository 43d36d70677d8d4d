// Login (SimpleJWT's TokenObtainPair). Count first, then verify: one statement finds the account and reserves
// the attempt in the client's and the account's failure windows, each only while below its limit, so that
// whatever the concurrency at most LOGIN_MAX_FAILURES wrong passwords per account (and the client limit per
// client address) are ever evaluated in a window; past it even the right password answers 429 RATE_LIMITED.
// A success gives its reservations back (the windows count failures: a user who logs in often never uses up
// their budget); a failure keeps them. Then one Argon2id verification on the thread pool (an unknown account
// costs the same, against a dummy hash), one insert (session and refresh token) and two ES256 signatures.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { type SecurityLog, securityEvents } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { sessionClient, startSession } from "../persistence/session.repository.ts";
import { type LoginAttemptDeps, reserveLoginAttemptOrRefuse } from "./login-attempt.ts";
import { type PasswordUpgradeDeps, upgradePasswordHashIfNeeded } from "./password-upgrade.ts";
import type { PasswordHasher, TokenIssuer, TokenPair } from "./ports.ts";
import type { RequestOrigin } from "./request-origin.ts";

export const invalidCredentials = () => domainError(ErrorReason.INVALID_CREDENTIALS);

export interface LoginDeps extends LoginAttemptDeps, PasswordUpgradeDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "limits" | "sessionMaxLifetimeSeconds">;
  hasher: PasswordHasher;
  tokens: TokenIssuer;
  securityLog: SecurityLog;
}

export interface LoginInput {
  username: string;
  password: string;
  origin: RequestOrigin;
  userAgent?: string | null;
}

export function login(deps: LoginDeps) {
  return async (input: LoginInput): Promise<TokenPair> => {
    const em = deps.orm.em.fork();
    const attempt = await reserveLoginAttemptOrRefuse(deps, em, input.username, input.origin.client);
    const user = attempt.user;
    const valid = user
      ? await deps.hasher.verify(user.passwordHash, input.password)
      : await deps.hasher.verifyDummy(input.password).then(() => false);
    if (!user || !valid) {
      const subject = { userId: user?.id, client: input.origin.client, requestId: input.origin.requestId };
      deps.securityLog.record(securityEvents.loginFailed, subject);
      // The failure that fills a window is the lockout: logged once per window, not once per refused attempt.
      const { loginFailuresPerAccount: perAccount, loginFailuresPerClient: perClient } = deps.config.limits;
      if (attempt.accountCount === perAccount.limit || attempt.clientCount === perClient.limit) {
        deps.securityLog.record(securityEvents.loginThrottled, subject);
      }
      throw invalidCredentials();
    }
    await upgradePasswordHashIfNeeded(deps, em, user, input.password);

    const sessionId = newId();
    const refreshJti = newId();
    const sessionExpiresAt = new Date(deps.now().getTime() + deps.config.sessionMaxLifetimeSeconds * 1000);
    await Promise.all([
      startSession(em, {
        id: sessionId,
        userId: user.id,
        expiresAt: sessionExpiresAt,
        refreshJti,
        client: sessionClient(input.userAgent, input.origin.client),
      }),
      attempt.release(),
    ]);
    return deps.tokens.issue(
      { userId: user.id, username: user.username, emailVerified: user.emailVerified },
      { id: sessionId, refreshJti, expiresAt: sessionExpiresAt },
    );
  };
}
