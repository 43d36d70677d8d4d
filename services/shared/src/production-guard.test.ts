import { ConfigError } from "./config.ts";
import { assertProductionSafe, productionProblems } from "./production-guard.ts";

// What a real production environment looks like: nothing here is a default or a marker.
const safe = {
  ENVIRONMENT: "prod",
  LOG_LEVEL: "info",
  DATABASE_URL: "postgres://auth_svc:q8Zr2vLx71mWc0pT@db.internal:5432/identity_auth",
  SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  MAIL_TRANSPORT: "smtp",
  SMTP_PASSWORD: "Yk3m9PqR4sT7vW2x",
  KAFKA_BROKERS: "redpanda-0.kafka:9092",
};
const devKey = Buffer.alloc(32, "identity-dev-only-not-a-secret!!").toString("base64");

test("a production environment with real secrets passes", () => {
  expect(productionProblems(safe)).toEqual([]);
  expect(() => assertProductionSafe(safe)).not.toThrow();
});

test("outside production nothing is checked", () => {
  expect(productionProblems({ ...safe, ENVIRONMENT: "dev", DEBUG: "1", MAIL_TRANSPORT: "dev" })).toEqual([]);
  expect(productionProblems({ DEBUG: "true" })).toEqual([]);
});

test.each([
  ["DEBUG", { DEBUG: "true" }, /DEBUG/],
  ["debug logging", { LOG_LEVEL: "debug" }, /LOG_LEVEL/],
  ["the development mailbox", { MAIL_TRANSPORT: "dev" }, /MAIL_TRANSPORT=dev/],
  ["a dev mailbox flag", { DEV_MAILBOX: "1" }, /DEV_MAILBOX/],
  ["the development signing key (base64 of a dev-only marker)", { SIGNING_KEY_ENCRYPTION_KEY: devKey }, /SIGNING_KEY_ENCRYPTION_KEY/],
  ["a .env.prod placeholder", { SMTP_PASSWORD: "CHANGE_ME_smtp_password" }, /SMTP_PASSWORD/],
  [
    "the default database password",
    { DATABASE_URL: "postgres://identity:identity@db:5432/identity_auth" },
    /DATABASE_URL uses a default password/,
  ],
  ["an empty database password", { DATABASE_URL: "postgres://identity@db:5432/identity_auth" }, /DATABASE_URL uses a default password/],
  ["a default password variable", { POSTGRES_PASSWORD: "postgres" }, /POSTGRES_PASSWORD/],
])("refuses %s", (_, override, message) => {
  const env = { ...safe, ...override };
  const problems = productionProblems(env);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(message);
  expect(() => assertProductionSafe(env)).toThrow(ConfigError);
});

// Node's base64 decoder ignores whitespace: each of these is the development key once decoded.
test.each([
  ["a trailing newline", `${devKey}\n`],
  ["a trailing space", `${devKey} `],
  ["leading and trailing whitespace", `  ${devKey}\r\n`],
  ["wrapped over two lines", `${devKey.slice(0, 20)}\n${devKey.slice(20)}`],
  ["the base64url spelling", devKey.replaceAll("+", "-").replaceAll("/", "_")],
])("refuses the development key with %s (the decoded key is compared)", (_, value) => {
  expect(Buffer.from(value, "base64")).toEqual(Buffer.from(devKey, "base64"));
  const problems = productionProblems({ ...safe, SIGNING_KEY_ENCRYPTION_KEY: value });
  expect(problems).toEqual([expect.stringMatching(/SIGNING_KEY_ENCRYPTION_KEY holds a development key/)]);
});

test("a real key with a trailing newline passes", () => {
  expect(productionProblems({ ...safe, SIGNING_KEY_ENCRYPTION_KEY: `${safe.SIGNING_KEY_ENCRYPTION_KEY}\n` })).toEqual([]);
});

test("names every problem at once and never echoes a secret", () => {
  const env = {
    ...safe,
    DEBUG: "1",
    MAIL_TRANSPORT: "dev",
    SIGNING_KEY_ENCRYPTION_KEY: devKey,
    DATABASE_URL: "postgres://identity:identity@db/x",
  };
  let error: unknown;
  try {
    assertProductionSafe(env);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const { problems, message } = error as ConfigError;
  expect(problems).toHaveLength(4);
  expect(message).not.toContain(devKey);
  expect(message).not.toContain("identity:identity");
});
