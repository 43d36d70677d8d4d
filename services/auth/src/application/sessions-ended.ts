// Every session that ends writes session.revoked in the same transaction, so that every service refuses its
// access tokens too (services/shared revocation list), and one security-log line.
import type { SecurityLog } from "@identity/shared/security/security-log.ts";
import { securityEvents } from "@identity/shared/security/security-log.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { type RevocationReason, recordSessionsRevoked } from "../events/published.ts";
import type { EndedSession } from "../persistence/session.repository.ts";
import type { Origin } from "./request-origin.ts";

export interface SessionsEndedDeps {
  config: Pick<AuthConfig, "accessTokenTtlSeconds">;
  securityLog: SecurityLog;
}

/** Records session.revoked for sessions just ended inside `tx`'s transaction, and writes the security log. */
export function sessionsEnded(
  deps: SessionsEndedDeps,
  tx: EntityManager,
  ended: readonly EndedSession[],
  reason: RevocationReason,
  origin: Origin = {},
): void {
  recordSessionsRevoked(tx, ended, reason, deps.config.accessTokenTtlSeconds);
  for (const session of ended) deps.securityLog.record(securityEvents.sessionRevoked, { userId: session.userId, ...origin });
}
