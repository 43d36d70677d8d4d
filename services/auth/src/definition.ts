// The auth service as its composition root sees it: schema, configuration, and how its module is built
// from infrastructure. Hosted standalone (main.ts) or inside the embedded gateway.

import { createAccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { createOutboxRelay } from "@identity/shared/events/outbox-relay.ts";
import { checkDatabase } from "@identity/shared/orm/create-orm.ts";
import { deleteBucketsBefore } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import { RateLimitBucketEntity } from "@identity/shared/rate-limit/rate-limit-bucket.entity.ts";
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import type { AnyEntity, EntitySchema } from "@mikro-orm/core";
import type { JWTVerifyGetKey } from "jose";
import { createDevMailbox } from "./adapters/dev-mailbox.ts";
import { createMailRelay, type MailRelay } from "./adapters/mail-relay.ts";
import { createPasswordHasher } from "./adapters/password-hasher.ts";
import { createSmtpMailSender } from "./adapters/smtp-mail-sender.ts";
import { expireUnverifiedAccounts } from "./application/account-deletion.ts";
import type { AuthDeps } from "./application/auth-deps.ts";
import { createLegacyHashWatch } from "./application/legacy-hash-watch.ts";
import { lifecycleMailComposers } from "./application/lifecycle-mail.ts";
import { createTokenIssuer } from "./application/token-issuer.ts";
import { composeVerificationMail, VERIFICATION_MAIL } from "./application/verification-mail.ts";
import { type AuthConfig, readAuthConfig } from "./config.ts";
import { preloadCommonPasswords } from "./domain/password-policy.ts";
import { deriveKey } from "./keys/key-encryption.ts";
import { createSigningKeyStore, type SigningKeyStore } from "./keys/signing-key-store.ts";
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
import { registerAuthService } from "./transport/auth-handlers.ts";
import { registerDevMailService } from "./transport/dev-mail-handlers.ts";
import { jwksRoute } from "./transport/jwks-route.ts";

export interface AuthModule extends ServiceModule {
  /** The signing keys' public halves by kid: what an in-process gateway verifies access tokens with. */
  keys: JWTVerifyGetKey;
  keyStore: SigningKeyStore;
  deps: AuthDeps;
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

/** Old rate-limit windows are deleted this long after they end. */
const BUCKET_RETENTION_MS = 24 * 3600 * 1000;

export const authService: ServiceDefinition<AuthConfig, AuthModule> = {
  name: "auth",
  defaults: { rpcPort: 50051, opsPort: 9101, database: "identity_auth" },
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
    const deps: AuthDeps = {
      orm,
      config,
      logger,
      securityLog,
      mailQueue: mailRelay,
      hasher: await createPasswordHasher({ legacyHashesPresent: legacyHashes.present }),
      codeKey,
      tokens: createTokenIssuer({
        keys: keyStore,
        issuer: common.jwt.issuer,
        audiences: common.jwt.audiences,
        accessTtlSeconds: config.accessTokenTtlSeconds,
        refreshTtlSeconds: config.refreshTokenTtlSeconds,
      }),
    };
    const relay = createOutboxRelay({ orm, publisher: bus, logger, source: "identity/auth", metrics });
    let sweeper: NodeJS.Timeout | undefined;
    let expiry: NodeJS.Timeout | undefined;
    return {
      name: "auth",
      keys: keyStore.keys,
      keyStore,
      deps,
      mailRelay,
      register(router) {
        registerAuthService(router, deps, keyStore);
        registerDevMailService(router, mailbox);
      },
      httpRoutes: { "/.well-known/jwks.json": jwksRoute(keyStore, config.jwksMaxAgeSeconds) },
      checkReady: () => checkDatabase(orm),
      async start() {
        keyStore.start();
        relay.start();
        mailRelay.start();
        legacyHashes.start();
        sweeper = setInterval(() => {
          deleteBucketsBefore(orm.em.fork(), new Date(Date.now() - BUCKET_RETENTION_MS)).catch((err: unknown) =>
            logger.warn({ err }, "rate-limit sweep failed"),
          );
        }, 10 * 60_000);
        sweeper.unref();
        // Every replica runs it; the conditional delete makes a second replica's pass a no-op.
        expiry = setInterval(() => {
          expireUnverifiedAccounts(deps).catch((err: unknown) => logger.warn({ err }, "unverified-account expiry failed"));
        }, config.unverifiedAccountSweepIntervalSeconds * 1000);
        expiry.unref();
      },
      flushOutbox: () => relay.relayOnce(),
      async stop() {
        if (sweeper) clearInterval(sweeper);
        legacyHashes.stop();
        if (expiry) clearInterval(expiry);
        keyStore.stop();
        await relay.stop();
        await mailRelay.stop();
        smtp?.close();
      },
    };
  },
  verifier: (module, common) =>
    createAccessTokenVerifier({ keys: module.keys, issuer: common.jwt.issuer, audiences: common.jwt.audiences }),
};
