// The security log (spec, "Behaviour under attack and bad input"): one JSON line per security event,
// `{"log":"security","event":...,"user_id","client","request_id"}`, and a counter per event in the
// service's /metrics (`security_events_total{event}`). The fields are fixed on purpose: there is no place to
// put a password, a code or a token, so none can leak through this log.
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../logger.ts";

/** Every security event the platform logs; the value is the `event` field and the metric label. */
export const securityEvents = {
  loginFailed: "login_failed",
  loginThrottled: "login_throttled",
  refreshTokenReused: "refresh_token_reused",
  sessionRevoked: "session_revoked",
  passwordReset: "password_reset",
  passwordChanged: "password_changed",
  emailChanged: "email_changed",
  accountDeleted: "account_deleted",
  otpAttemptsExceeded: "otp_attempts_exceeded",
  rateLimited: "rate_limited",
} as const;

export type SecurityEvent = (typeof securityEvents)[keyof typeof securityEvents];

/** Who and where: every field is optional (an unknown account has no user id). */
export interface SecurityEventSubject {
  userId?: string;
  /** The client address the throttles count (see the service's client-address rules). */
  client?: string;
  requestId?: string;
}

export interface SecurityLog {
  record(event: SecurityEvent, subject: SecurityEventSubject): void;
}

const METRIC = "security_events_total";

/**
 * Writes to `logger` at warn level (kept at the default and at LOG_LEVEL=warn) and counts on `registry`
 * (several logs may share one registry: the counter is looked up before it is created).
 */
export function createSecurityLog(logger: Logger, registry?: Registry): SecurityLog {
  const counter = registry
    ? ((registry.getSingleMetric(METRIC) as Counter<"event"> | undefined) ??
      new Counter({
        name: METRIC,
        help: "Security events (failed logins, lockouts, token reuse, ...), by event.",
        labelNames: ["event"],
        registers: [registry],
      }))
    : undefined;
  return {
    record(event, subject) {
      counter?.inc({ event });
      logger.warn(
        { log: "security", event, user_id: subject.userId ?? null, client: subject.client ?? null, request_id: subject.requestId ?? null },
        `security: ${event}`,
      );
    },
  };
}
