import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EnvReader } from "../config.ts";
import { readKafkaSecurity } from "./kafka-security.ts";

const dir = mkdtempSync(path.join(tmpdir(), "kafka-security-"));
const file = (name: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, `${name} contents`);
  return p;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(env: Record<string, string>) {
  const reader = new EnvReader(env);
  const security = readKafkaSecurity(reader);
  return { security, done: () => reader.done() };
}

test("nothing set: plaintext without credentials (the local development broker)", () => {
  const { security, done } = read({ ENVIRONMENT: "dev" });
  expect(security).toEqual({});
  expect(done).not.toThrow();
});

test("SASL_SSL: the broker's CA, SCRAM-SHA-512 credentials, an optional client certificate", () => {
  const ca = file("ca.crt");
  const { security, done } = read({
    ENVIRONMENT: "prod",
    KAFKA_SSL_CA_FILE: ca,
    KAFKA_SSL_CERT_FILE: file("client.crt"),
    KAFKA_SSL_KEY_FILE: file("client.key"),
    KAFKA_SSL_SERVERNAME: "kafka.identity.internal",
    KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
    KAFKA_SASL_USERNAME: "profile",
    KAFKA_SASL_PASSWORD: "a long random password",
  });
  expect(done).not.toThrow();
  expect(String(security.ssl?.ca)).toBe("ca.crt contents");
  expect(String(security.ssl?.cert)).toBe("client.crt contents");
  expect(security.ssl?.servername).toBe("kafka.identity.internal");
  expect(security.sasl).toEqual({ mechanism: "scram-sha-512", username: "profile", password: "a long random password" });
});

test("mistakes are refused, naming the variables and never the password", () => {
  const { done } = read({
    ENVIRONMENT: "prod",
    KAFKA_SASL_MECHANISM: "plain",
    KAFKA_SASL_USERNAME: "auth",
    KAFKA_SASL_PASSWORD: "hunter2-secret",
    KAFKA_SSL_CERT_FILE: file("only.crt"),
    KAFKA_SSL: "false",
  });
  expect(done).toThrow(/KAFKA_SASL_MECHANISM must be scram-sha-512/);
  expect(done).toThrow(/KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together/);
  expect(done).toThrow(/KAFKA_SASL_\* needs KAFKA_SSL in production/);
  expect(done).not.toThrow(/hunter2/);
  expect(read({ ENVIRONMENT: "dev", KAFKA_SASL_USERNAME: "auth" }).done).toThrow(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together/);
});
