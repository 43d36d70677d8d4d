// Login (SimpleJWT's TokenObtainPair). The path is one indexed read (account and failure counters), one
// Argon2id verification on the thread pool, one insert (session and refresh token) and two ES256 signatures.
// An unknown account costs the same Argon2id verification (against a dummy hash) as a wrong password.
import { unauthenticated } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { incrementBucket } from "../persistence/rate-limit.repository.ts";
import { startSession } from "../persistence/session.repository.ts";
import { findLoginCandidate } from "../persistence/user.repository.ts";
import type { AuthDeps } from "./auth-deps.ts";
import { upgradePasswordHashIfNeeded } from "./password-upgrade.ts";
import { currentWindow, keys, loginThrottled } from "./rate-limiter.ts";
import type { TokenPair } from "./token-issuer.ts";

export const invalidCredentials = () => unauthenticated("INVALID_CREDENTIALS", "No active account found with the given credentials");

export async function login(deps: AuthDeps, input: { username: string; password: string; client: string }): Promise<TokenPair> {
  const em = deps.orm.em.fork();
  const { loginFailuresPerAccount: perAccount, loginFailuresPerClient: perClient } = deps.config.limits;
  const accountWindow = currentWindow(perAccount);
  const clientWindow = currentWindow(perClient);
  const clientKey = keys.loginClient(input.client);
  const candidate = await findLoginCandidate(em, input.username, {
    accountKeyPrefix: keys.loginAccountPrefix,
    clientKey,
    accountWindow: accountWindow.start,
    clientWindow: clientWindow.start,
  });
  if (candidate.clientFailures >= perClient.limit) throw loginThrottled(clientWindow.remainingSeconds);
  if (candidate.accountFailures >= perAccount.limit) throw loginThrottled(accountWindow.remainingSeconds);

  const user = candidate.user;
  const valid = user
    ? await deps.hasher.verify(user.password_hash, input.password)
    : await deps.hasher.verifyDummy(input.password).then(() => false);
  if (!user || !valid) {
    const accountKey = keys.loginAccountPrefix + (user ? user.id : input.username.toLowerCase());
    await Promise.all([incrementBucket(em, accountKey, accountWindow.start), incrementBucket(em, clientKey, clientWindow.start)]);
    throw invalidCredentials();
  }
  await upgradePasswordHashIfNeeded(deps, em, user, input.password);

  const sessionId = newId();
  const refreshJti = newId();
  const sessionExpiresAt = new Date(Date.now() + deps.config.sessionMaxLifetimeSeconds * 1000);
  await startSession(em, { id: sessionId, userId: user.id, expiresAt: sessionExpiresAt, refreshJti });
  return deps.tokens.issue({ userId: user.id, username: user.username, emailVerified: user.email_verified }, refreshJti, sessionExpiresAt);
}
