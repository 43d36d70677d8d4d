// The auth service's only composition root: its schema, its configuration, and create(infra), which builds
// the adapters (signing keys, tokens, password hashing, mail), every use case (authUseCases: each given only
// what it declares), the handlers, the outbox relay and the mail relay. Hosted standalone (main.ts), by the
// test harness or by the embedded gateway.

import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { createAccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import type { Logger } from "@identity/shared/logger.ts";
import { checkDatabase } from "@identity/shared/orm/create-orm.ts";
import { bucketSweep } from "@identity/shared/rate-limit/bucket-sweep.ts";
import { RateLimitBucketEntity } from "@identity/shared/rate-limit/rate-limit-bucket.entity.ts";
import type { SecurityLog } from "@identity/shared/security/security-log.ts";
import { defaultPorts } from "@identity/shared/server/default-ports.ts";
import { moduleLifecycle, outboxRelayFor, periodically } from "@identity/shared/server/module-lifecycle.ts";
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import type { AnyEntity, EntitySchema } from "@mikro-orm/core";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { JWTVerifyGetKey } from "jose";
import { createDevMailbox, type DevMailbox } from "./adapters/dev-mailbox.ts";
import { deriveKey } from "./adapters/key-encryption.ts";
import { createMailRelay, type MailRelay } from "./adapters/mail-relay.ts";
import { createPasswordHasher } from "./adapters/password-hasher.ts";
import { createSigningKeyStore, type SigningKeyStore } from "./adapters/signing-key-store.ts";
import { createSmtpMailSender } from "./adapters/smtp-mail-sender.ts";
import { createTokenIssuer } from "./adapters/token-issuer.ts";
import { changePassword } from "./application/change-password.ts";
import { confirmEmailChange } from "./application/confirm-email-change.ts";
import { confirmPasswordReset } from "./application/confirm-password-reset.ts";
import { deleteAccount } from "./application/delete-account.ts";
import { expireUnverifiedAccounts } from "./application/expire-unverified-accounts.ts";
import { createLegacyHashWatch } from "./application/legacy-hash-watch.ts";
import { lifecycleMailComposers } from "./application/lifecycle-mail.ts";
import { listSessions } from "./application/list-sessions.ts";
import { login } from "./application/login.ts";
import { logout } from "./application/logout.ts";
import { logoutAll } from "./application/logout-all.ts";
import type { MailQueue } from "./application/mail-queue.ts";
import type { PasswordHasher, TokenIssuer } from "./application/ports.ts";
import { refreshToken } from "./application/refresh-token.ts";
import { register } from "./application/register.ts";
import { requestEmailChange } from "./application/request-email-change.ts";
import { requestPasswordReset } from "./application/request-password-reset.ts";
import { resendVerificationCode } from "./application/resend-verification-code.ts";
import { revokeSession } from "./application/revoke-session.ts";
import type { AuthUseCases } from "./application/use-cases.ts";
import { composeVerificationMail, VERIFICATION_MAIL } from "./application/verification-mail.ts";
import { verifyEmail } from "./application/verify-email.ts";
import { type AuthConfig, readAuthConfig } from "./config.ts";
import { preloadCommonPasswords } from "./domain/password-policy.ts";
import { DevMailEntity } from "./persistence/dev-mail.entity.ts";
import { LegacyImportSourceEntity } from "./persistence/legacy-import-source.entity.ts";
import { MailOutboxEntity } from "./persistence/mail-outbox.entity.ts";
import { CreateAuthSchema } from "./persistence/migrations/0001-auth-schema.ts";
import { CreateMailOutbox } from "./persistence/migrations/0002-mail-outbox.ts";
import { LegacyAccounts } from "./persistence/migrations/0003-legacy-accounts.ts";
import { AccountLifecycle } from "./persistence/migrations/0004-account-lifecycle.ts";
import { RefreshTokenEntity, SessionEntity } from "./persistence/session.entity.ts";
import { SigningKeyEntity } from "./persistence/signing-key.entity.ts";
import { UserEntity } from "./persistence/user.entity.ts";
import { EmailChangeCodeEntity, PasswordResetTokenEntity, VerificationCodeEntity } from "./persistence/verification-code.entity.ts";
import { authHandlers } from "./transport/auth-handlers.ts";
import { devMailHandlers } from "./transport/dev-mail-handlers.ts";
import { jwksRoute } from "./transport/jwks-route.ts";

export interface AuthModule extends ServiceModule {
  /** The signing keys' public halves by kid: what an in-process gateway verifies access tokens with. */
  keys: JWTVerifyGetKey;
  keyStore: SigningKeyStore;
  useCases: AuthUseCases;
  /** Sends the mail outbox after the answers (tests stop it to see what a request queued). */
  mailRelay: MailRelay;
}

export const authEntities = [
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  VerificationCodeEntity,
  EmailChangeCodeEntity,
  PasswordResetTokenEntity,
  SigningKeyEntity,
  RateLimitBucketEntity,
  DevMailEntity,
  MailOutboxEntity,
  LegacyImportSourceEntity,
] as unknown as ReadonlyArray<EntitySchema<AnyEntity>>;
export const authMigrations = [
  { name: "0001_auth_schema", class: CreateAuthSchema },
  { name: "0002_mail_outbox", class: CreateMailOutbox },
  { name: "0003_legacy_accounts", class: LegacyAccounts },
  { name: "0004_account_lifecycle", class: AccountLifecycle },
];

/**
 * What the use cases are built from. Each use case is given only what its own Deps interface declares (the
 * fast tests build them the same way, on their own clock and mail queue).
 */
export interface AuthUseCaseParts {
  orm: MikroORM;
  now: () => Date;
  config: AuthConfig;
  hasher: PasswordHasher;
  tokens: TokenIssuer;
  mailQueue: MailQueue;
  securityLog: SecurityLog;
  logger: Logger;
  /** HMAC key of the mailed codes. */
  codeKey: Buffer;
  keys: Pick<SigningKeyStore, "jwks">;
  mailbox: Pick<DevMailbox, "list">;
}

export function authUseCases(parts: AuthUseCaseParts): AuthUseCases {
  const { orm, now, config, hasher, tokens, mailQueue, securityLog, logger, codeKey, keys, mailbox } = parts;
  return {
    register: register({ orm, now, config, hasher, tokens, mailQueue }),
    verifyEmail: verifyEmail({ orm, now, config, codeKey }),
    resendVerificationCode: resendVerificationCode({ orm, config, mailQueue }),
    login: login({ orm, now, config, hasher, tokens, securityLog, logger }),
    refreshToken: refreshToken({ orm, config, tokens, securityLog }),
    logout: logout({ orm, config, tokens, securityLog }),
    requestPasswordReset: requestPasswordReset({ orm, config, mailQueue }),
    confirmPasswordReset: confirmPasswordReset({ orm, now, config, hasher, securityLog }),
    changePassword: changePassword({ orm, now, config, hasher, tokens, securityLog }),
    requestEmailChange: requestEmailChange({ orm, config, hasher, securityLog, mailQueue }),
    confirmEmailChange: confirmEmailChange({ orm, now, config, codeKey, securityLog }),
    listSessions: listSessions({ orm, config }),
    revokeSession: revokeSession({ orm, config, securityLog }),
    logoutAll: logoutAll({ orm, config, securityLog }),
    deleteAccount: deleteAccount({ orm, now, config, hasher, securityLog }),
    expireUnverifiedAccounts: expireUnverifiedAccounts({ orm, now, config, securityLog }),
    publishedKeys: () => keys.jwks(),
    listDevMail: (to) => mailbox.list(to),
  };
}

/** Old rate-limit windows are deleted this long after they end. */
const BUCKET_RETENTION_MS = 24 * 3600 * 1000;

export const authService: ServiceDefinition<AuthConfig, AuthModule> = {
  name: "auth",
  defaults: { ...defaultPorts.auth, database: "identity_auth" },
  entities: authEntities,
  migrations: authMigrations,
  readConfig: readAuthConfig,
  async create({ config, common, logger, orm, bus, metrics, securityLog }) {
    preloadCommonPasswords();
    const keyStore = createSigningKeyStore({
      orm,
      encryptionKey: config.signingKeyEncryptionKey,
      reloadIntervalSeconds: config.keyReloadIntervalSeconds,
      logger,
    });
    await keyStore.ensureKeys();
    await keyStore.reload();
    const mailbox = createDevMailbox(orm);
    const smtp = config.mail.transport === "smtp" ? createSmtpMailSender(config.mail) : undefined;
    /** HMAC key of the mailed codes. */
    const codeKey = deriveKey(config.signingKeyEncryptionKey, "identity-platform/email-verification-code-hmac");
    // Every mail kind the service sends, with the composer that makes it after the answer.
    const mailRelay = createMailRelay({
      orm,
      logger,
      sender: smtp ?? mailbox,
      sealingKey: deriveKey(config.signingKeyEncryptionKey, "identity-platform/mail-outbox-sealing"),
      composers: {
        [VERIFICATION_MAIL]: composeVerificationMail({ config, codeKey }),
        ...lifecycleMailComposers({ config, codeKey }),
      },
    });
    const legacyHashes = createLegacyHashWatch(orm, logger);
    const hasher = await createPasswordHasher({ legacyHashesPresent: legacyHashes.present });
    const tokens = createTokenIssuer({ keys: keyStore, jwt: common.jwt, config });
    const useCases = authUseCases({
      orm,
      now: () => new Date(),
      config,
      hasher,
      tokens,
      mailQueue: mailRelay,
      securityLog,
      logger,
      codeKey,
      keys: keyStore,
      mailbox,
    });
    const relay = outboxRelayFor({ orm, bus, logger, metrics }, { source: "identity/auth" });
    return {
      name: "auth",
      keys: keyStore.keys,
      keyStore,
      useCases,
      mailRelay,
      register(router) {
        router.service(AuthService, authHandlers(useCases, { trustedProxyHops: config.trustedProxyHops }));
        router.service(DevMailService, devMailHandlers(useCases));
      },
      httpRoutes: { "/.well-known/jwks.json": jwksRoute(keyStore, config.jwksMaxAgeSeconds) },
      ...moduleLifecycle({
        ready: [() => checkDatabase(orm)],
        relay,
        work: [
          { start() {}, stop: () => smtp?.close() },
          keyStore,
          mailRelay,
          legacyHashes,
          bucketSweep({ orm, logger, everyMs: 10 * 60_000, keepMs: BUCKET_RETENTION_MS }),
          // Every replica runs it; the conditional delete makes a second replica's pass a no-op.
          periodically(
            "unverified-account expiry",
            config.unverifiedAccountSweepIntervalSeconds * 1000,
            () => useCases.expireUnverifiedAccounts(),
            logger,
          ),
        ],
      }),
    };
  },
  verifier: (module, common) =>
    createAccessTokenVerifier({ keys: module.keys, issuer: common.jwt.issuer, audiences: common.jwt.audiences }),
};
