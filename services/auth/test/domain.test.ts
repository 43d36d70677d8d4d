import { EnvReader, readCommonConfig } from "@identity/shared/config.ts";
import { seal, unseal } from "../src/adapters/key-encryption.ts";
import { currentWindow } from "../src/application/rate-limiter.ts";
import { readAuthConfig } from "../src/config.ts";
import { isCommonPassword, passwordProblem } from "../src/domain/password-policy.ts";
import { generateCode, hashCode, sameHash } from "../src/domain/verification-code.ts";

const account = { username: "ada", email: "ada@example.com" };

test("common passwords are refused in any case; a long passphrase is not", () => {
  expect(isCommonPassword("password")).toBe(true);
  expect(isCommonPassword("QWERTY123")).toBe(true);
  expect(passwordProblem("correct horse battery staple 42", account)).toBeUndefined();
  expect(passwordProblem("ADA@example.com", account)).toBeDefined();
});

test("codes are 6 digits, varied, and hashed bound to account and address", () => {
  const codes = new Set(Array.from({ length: 200 }, generateCode));
  for (const c of codes) expect(c).toMatch(/^\d{6}$/);
  expect(codes.size).toBeGreaterThan(190);
  const key = Buffer.alloc(32, 1);
  const h = hashCode(key, { userId: "u1", email: "A@x.io" }, "123456");
  expect(sameHash(h, hashCode(key, { userId: "u1", email: "a@x.io" }, "123456"))).toBe(true);
  expect(sameHash(h, hashCode(key, { userId: "u1", email: "b@x.io" }, "123456"))).toBe(false);
  expect(sameHash(h, hashCode(key, { userId: "u2", email: "a@x.io" }, "123456"))).toBe(false);
});

test("sealed private keys open only with the same key and kid", () => {
  const key = Buffer.alloc(32, 2);
  const sealed = seal(key, "kid-1", Buffer.from("secret"));
  expect(unseal(key, "kid-1", sealed).toString()).toBe("secret");
  expect(() => unseal(key, "kid-2", sealed)).toThrow();
  expect(() => unseal(Buffer.alloc(32, 3), "kid-1", sealed)).toThrow();
});

test("fixed windows: start aligned, retry hint is the time left", () => {
  const w = currentWindow({ limit: 1, windowSeconds: 60 }, 120_000 + 15_500);
  expect(w.start.getTime()).toBe(120_000);
  expect(w.remainingSeconds).toBe(45);
});

const read = (vars: Record<string, string>) => {
  const env = new EnvReader(vars);
  const common = readCommonConfig(env, "auth", { rpcPort: 1, opsPort: 2, database: "d" });
  const config = readAuthConfig(env, common);
  return { env, config };
};

test("development defaults: 5 min / 1 day / 30 days, dev mailbox, generous client limits, LOGIN_MAX_FAILURES 10 per 15 min as everywhere", () => {
  const { env, config } = read({ ENVIRONMENT: "dev" });
  env.done();
  expect(config).toMatchObject({
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 86400,
    sessionMaxLifetimeSeconds: 2592000,
    mail: { transport: "dev" },
  });
  expect(config.signingKeyEncryptionKey).toHaveLength(32);
  expect(config.limits.loginFailuresPerAccount).toEqual({ limit: 10, windowSeconds: 900 });
  expect(config.limits.loginFailuresPerClient.limit).toBeGreaterThan(10);
});

test("production requires the signing-key encryption key and SMTP, and refuses the dev mailbox", () => {
  const base = {
    ENVIRONMENT: "prod",
    DATABASE_URL: "postgres://x/y",
    TLS_CERT_FILE: "a",
    TLS_KEY_FILE: "b",
    TLS_CA_FILE: "c",
    KAFKA_BROKERS: "k:9092",
  };
  expect(() => read(base).env.done()).toThrow(/SIGNING_KEY_ENCRYPTION_KEY is required in production/);
  expect(() => read(base).env.done()).toThrow(/SMTP_HOST is required/);
  expect(() => read({ ...base, MAIL_TRANSPORT: "dev" }).env.done()).toThrow(/MAIL_TRANSPORT=dev/);
  expect(() => read({ ...base, SIGNING_KEY_ENCRYPTION_KEY: "c2hvcnQ=" }).env.done()).toThrow(/32 bytes/);
  const { env, config } = read({
    ...base,
    SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64"),
    SMTP_HOST: "smtp",
    SMTP_FROM: "a@b.c",
    ACCESS_TOKEN_TTL: "10m",
  });
  env.done();
  expect(config.accessTokenTtlSeconds).toBe(600);
  expect(config.limits.loginFailuresPerAccount.limit).toBe(10);
});
