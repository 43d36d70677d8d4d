// The auth service's own configuration, read once from the environment (see docs/auth.md for each variable).
// Limits are generous in development and strict in production unless set explicitly.
import type { CommonConfig, EnvReader } from "@identity/shared/config.ts";
import type { RateLimit } from "@identity/shared/rate-limit/rate-limit.repository.ts";

/**
 * Development only: a fixed, public key so that `npm start` works without setup. Production refuses to start
 * without SIGNING_KEY_ENCRYPTION_KEY (EnvReader's devDefault applies only when ENVIRONMENT=dev).
 */
const DEV_ONLY_SIGNING_KEY_ENCRYPTION_KEY = Buffer.alloc(32, "identity-dev-only-not-a-secret!!").toString("base64");

export type { RateLimit };

export interface AuthConfig {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionMaxLifetimeSeconds: number;
  /** AES-256-GCM key for the private signing keys at rest; also the root of the OTP HMAC key (HKDF). */
  signingKeyEncryptionKey: Buffer;
  keyReloadIntervalSeconds: number;
  /** How long a `next` key must have been published before rotate-keys promotes it (JWKS caches). */
  keyPublishDelaySeconds: number;
  jwksMaxAgeSeconds: number;
  otpTtlSeconds: number;
  otpMaxAttempts: number;
  otpResendIntervalSeconds: number;
  trustedProxyHops: number;
  /** Where the web app is: the reset link is `<webBaseUrl>/#/reset?token=...`. */
  webBaseUrl: string;
  passwordResetTtlSeconds: number;
  /** At most one reset mail per address in this interval. */
  passwordResetIntervalSeconds: number;
  /** Accounts whose email is still not verified this long after registering are deleted. */
  unverifiedAccountTtlSeconds: number;
  unverifiedAccountSweepIntervalSeconds: number;
  limits: {
    loginFailuresPerAccount: RateLimit;
    loginFailuresPerClient: RateLimit;
    registrationsPerClient: RateLimit;
    otpSendsPerClient: RateLimit;
    passwordResetsPerClient: RateLimit;
  };
  mail:
    | { transport: "dev"; from: string }
    | { transport: "smtp"; from: string; host: string; port: number; secure: boolean; user?: string; password?: string };
}

function readKey(env: EnvReader): Buffer {
  const encoded = env.string("SIGNING_KEY_ENCRYPTION_KEY", { devDefault: DEV_ONLY_SIGNING_KEY_ENCRYPTION_KEY, secret: true });
  const key = Buffer.from(encoded, "base64");
  if (encoded && key.length !== 32) env.problem("SIGNING_KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  return key;
}

function readMail(env: EnvReader): AuthConfig["mail"] {
  const prod = env.environment === "prod";
  const transport = env.oneOf("MAIL_TRANSPORT", ["smtp", "dev"], { default: prod ? "smtp" : "dev" });
  if (prod && transport === "dev") env.problem("MAIL_TRANSPORT=dev is for development only");
  const from = env.string("SMTP_FROM", { devDefault: "Identity Platform <no-reply@identity.localhost>" });
  if (transport !== "smtp") return { transport: "dev", from };
  return {
    transport: "smtp",
    from,
    host: env.string("SMTP_HOST", { devDefault: "127.0.0.1" }),
    port: env.int("SMTP_PORT", { default: 587, min: 1, max: 65535 }),
    secure: env.bool("SMTP_SECURE", { default: false }),
    user: env.optionalString("SMTP_USER"),
    password: env.optionalString("SMTP_PASSWORD"),
  };
}

export function readAuthConfig(env: EnvReader, _common: CommonConfig): AuthConfig {
  const prod = env.environment === "prod";
  const limit = (name: string, prodLimit: number, devLimit: number, window: string): RateLimit => ({
    limit: env.int(`${name}_LIMIT`, { default: prod ? prodLimit : devLimit, min: 1 }),
    windowSeconds: env.seconds(`${name}_WINDOW`, { default: window }),
  });
  const config: AuthConfig = {
    accessTokenTtlSeconds: env.seconds("ACCESS_TOKEN_TTL", { default: "5m" }),
    refreshTokenTtlSeconds: env.seconds("REFRESH_TOKEN_TTL", { default: "1d" }),
    sessionMaxLifetimeSeconds: env.seconds("SESSION_MAX_LIFETIME", { default: "30d" }),
    signingKeyEncryptionKey: readKey(env),
    keyReloadIntervalSeconds: env.seconds("SIGNING_KEY_RELOAD_INTERVAL", { default: "30s" }),
    keyPublishDelaySeconds: env.seconds("SIGNING_KEY_PUBLISH_DELAY", { default: "10m" }),
    jwksMaxAgeSeconds: env.seconds("JWKS_MAX_AGE", { default: "5m" }),
    otpTtlSeconds: env.seconds("OTP_TTL", { default: "10m" }),
    otpMaxAttempts: 5,
    otpResendIntervalSeconds: env.seconds("OTP_RESEND_INTERVAL", { default: "60s" }),
    trustedProxyHops: env.int("TRUSTED_PROXY_HOPS", { default: 0, min: 0, max: 10 }),
    webBaseUrl: env.string("WEB_BASE_URL", { default: "http://localhost:8080" }).replace(/\/+$/, ""),
    passwordResetTtlSeconds: env.seconds("PASSWORD_RESET_TTL", { default: "30m" }),
    passwordResetIntervalSeconds: env.seconds("PASSWORD_RESET_INTERVAL", { default: "60s" }),
    unverifiedAccountTtlSeconds: env.seconds("UNVERIFIED_ACCOUNT_TTL", { default: "7d" }),
    unverifiedAccountSweepIntervalSeconds: env.seconds("UNVERIFIED_ACCOUNT_SWEEP_INTERVAL", { default: "10m" }),
    limits: {
      // The spec's LOGIN_MAX_FAILURES: 10 per 15 minutes in every environment.
      loginFailuresPerAccount: {
        limit: env.int("LOGIN_MAX_FAILURES", { default: 10, min: 1 }),
        windowSeconds: env.seconds("LOGIN_MAX_FAILURES_WINDOW", { default: "15m" }),
      },
      loginFailuresPerClient: limit("LOGIN_FAILURES_PER_CLIENT", 50, 1000, "15m"),
      registrationsPerClient: limit("REGISTRATIONS_PER_CLIENT", 10, 1000, "1h"),
      otpSendsPerClient: limit("OTP_SENDS_PER_CLIENT", 20, 1000, "1h"),
      passwordResetsPerClient: limit("PASSWORD_RESETS_PER_CLIENT", 20, 1000, "1h"),
    },
    mail: readMail(env),
  };
  if (config.accessTokenTtlSeconds < 1) env.problem("ACCESS_TOKEN_TTL must be at least 1s");
  if (config.refreshTokenTtlSeconds < 1) env.problem("REFRESH_TOKEN_TTL must be at least 1s");
  if (!/^https?:\/\/[^\s/]+/.test(config.webBaseUrl)) env.problem("WEB_BASE_URL must be an http(s) URL");
  if (config.unverifiedAccountSweepIntervalSeconds < 1) env.problem("UNVERIFIED_ACCOUNT_SWEEP_INTERVAL must be at least 1s");
  return config;
}
