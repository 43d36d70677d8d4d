// The fast tier's auth service: its real migrations on an in-process PGlite (startFastOrm), the real
// configuration reader, signing keys, token issuer and password hasher, and the mails the use cases queue
// kept in a list; the use cases built from these by definition.ts's authUseCases, as the service builds them.
import { EnvReader, readCommonConfig } from "@identity/shared/config.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { createSecurityLog } from "@identity/shared/security/security-log.ts";
import { type FastOrm, startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import { createPasswordHasher } from "../src/adapters/password-hasher.ts";
import { createSigningKeyStore } from "../src/adapters/signing-key-store.ts";
import { createTokenIssuer } from "../src/adapters/token-issuer.ts";
import type { MailData, MailQueue } from "../src/application/mail-queue.ts";
import { readAuthConfig } from "../src/config.ts";
import { authService, authUseCases } from "../src/definition.ts";

export const FAST_PASSWORD = "correct horse battery staple 42";

export interface QueuedMailRecord {
  kind: string;
  to: string;
  data: MailData;
}

export async function startFastAuth(env: Record<string, string> = {}) {
  const fast: FastOrm = await startFastOrm(authService);
  const { orm } = fast;
  const reader = new EnvReader({ ENVIRONMENT: "dev", ...env });
  const common = readCommonConfig(reader, authService.name, authService.defaults);
  const config = readAuthConfig(reader, common);
  const logger = silentLogger();
  const keyStore = createSigningKeyStore({ orm, encryptionKey: config.signingKeyEncryptionKey, reloadIntervalSeconds: 60, logger });
  await keyStore.ensureKeys();
  await keyStore.reload();
  const tokens = createTokenIssuer({ keys: keyStore, jwt: common.jwt, config });
  const mails: QueuedMailRecord[] = [];
  const mailQueue: MailQueue = {
    async queue(_em, kind, to, data = {}) {
      mails.push({ kind, to, data });
    },
  };
  const useCases = authUseCases({
    orm,
    now: () => new Date(),
    config,
    hasher: await createPasswordHasher({ legacyHashesPresent: () => false }),
    tokens,
    mailQueue,
    securityLog: createSecurityLog(logger),
    logger,
    codeKey: Buffer.alloc(32, 7),
    keys: keyStore,
    mailbox: { list: async () => [] },
  });
  let accounts = 0;
  return {
    orm,
    config,
    useCases,
    /** The mails the use cases queued, in order. */
    mails,
    /** Registers a new account with FAST_PASSWORD (through the register use case); its username. */
    async registerAccount(prefix: string): Promise<string> {
      accounts += 1;
      const username = `${prefix}_${accounts}`;
      const user = { username, email: `${username}@example.com`, password: FAST_PASSWORD, firstName: "", lastName: "" };
      await useCases.register({ ...user, client: "192.0.2.250" });
      return username;
    },
    /** Runs SQL on the database (set-up only: e.g. age a row). */
    sql: (query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<Record<string, unknown>[]>(query, params, "all"),
    close: () => fast.close(),
  };
}

export type FastAuth = Awaited<ReturnType<typeof startFastAuth>>;
