// The keys this replica signs and verifies with, loaded from the database and decrypted once. Replicas see
// a rotation by reloading periodically and, at once, when a token names a kid they do not know (at most
// once per cooldown, so that forged kids cannot turn into a flood of queries).
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { Logger } from "@identity/shared/logger.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { JWK, JWTVerifyGetKey } from "jose";
import { insertKeyIfAbsent, loadPublishedKeys } from "../persistence/signing-key.repository.ts";
import { unseal } from "./key-encryption.ts";
import { newSigningKey } from "./new-signing-key.ts";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface SigningKeyStore {
  /** The key that signs now. */
  signingKey(): SigningKey;
  /** The published public key named `kid` (reloads once per cooldown when it is unknown). */
  publicKey(kid: string): Promise<KeyObject>;
  /** For jose's jwtVerify: the public key named by the token's kid. */
  keys: JWTVerifyGetKey;
  /** The published public keys (JWKS). */
  jwks(): JWK[];
  /** Creates the first keys when there are none (safe when replicas start together). */
  ensureKeys(): Promise<void>;
  reload(): Promise<void>;
  start(): void;
  stop(): void;
}

export interface SigningKeyStoreOptions {
  orm: MikroORM;
  encryptionKey: Buffer;
  reloadIntervalSeconds: number;
  logger: Logger;
  unknownKidCooldownMs?: number;
}

export function createSigningKeyStore(options: SigningKeyStoreOptions): SigningKeyStore {
  const cooldownMs = options.unknownKidCooldownMs ?? 5000;
  let signer: SigningKey | undefined;
  let publicKeys = new Map<string, KeyObject>();
  let published: JWK[] = [];
  let loadedAt = 0;
  let inflight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const load = async () => {
    const rows = await loadPublishedKeys(options.orm.em.fork());
    const current = rows.find((r) => r.state === "current");
    if (!current) throw new Error("no current signing key");
    const nextPublicKeys = new Map<string, KeyObject>();
    for (const row of rows) nextPublicKeys.set(row.kid, createPublicKey({ key: row.publicJwk as JWK, format: "jwk" }));
    if (signer?.kid !== current.kid) {
      const der = unseal(options.encryptionKey, current.kid, current.privateKey);
      signer = { kid: current.kid, privateKey: createPrivateKey({ key: der, format: "der", type: "pkcs8" }) };
      options.logger.info({ kid: current.kid }, "signing with key");
    }
    publicKeys = nextPublicKeys;
    published = rows.map((r) => r.publicJwk as JWK);
    loadedAt = Date.now();
  };

  const reload = () => {
    inflight ??= load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  const publicKey = async (kid: string) => {
    let key = publicKeys.get(kid);
    if (!key && Date.now() - loadedAt > cooldownMs) {
      await reload();
      key = publicKeys.get(kid);
    }
    if (!key) throw new Error("unknown signing key");
    return key;
  };

  return {
    signingKey() {
      if (!signer) throw new Error("signing keys not loaded");
      return signer;
    },
    publicKey,
    keys: (header) => publicKey(header.kid ?? ""),
    jwks: () => published,
    async ensureKeys() {
      const em = options.orm.em.fork();
      await insertKeyIfAbsent(em, "current", await newSigningKey(options.encryptionKey));
      await insertKeyIfAbsent(em, "next", await newSigningKey(options.encryptionKey));
    },
    reload,
    start() {
      timer = setInterval(() => {
        reload().catch((err: unknown) => options.logger.warn({ err }, "signing keys reload failed"));
      }, options.reloadIntervalSeconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
