// Kafka that is not wide open, on a broker of this suite's own (SASL_SSL listener, SCRAM-SHA-512, KRaft's
// StandardAuthorizer with the ACLs of deploy/kafka/service-acls.txt, granted by scripts/components/kafka.sh):
// each service's principal may write its own topic; a forged user.registered from another service's principal
// is refused by the broker, as are a wrong password and a client without credentials. The services' own bus and
// settings (KAFKA_SSL_*, KAFKA_SASL_*).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { topics } from "@identity/proto/event-catalogue";
import { jest } from "@jest/globals";
import { EnvReader } from "../../src/config.ts";
import { createKafkaBus } from "../../src/events/kafka-bus.ts";
import { readKafkaSecurity } from "../../src/events/kafka-security.ts";
import { silentLogger } from "../../src/logger.ts";

jest.setTimeout(180_000);

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
const port = Number(process.env.KAFKA_ACL_TEST_PORT ?? 19192); // plaintext; +1 controller, +2 SASL_SSL
const home = mkdtempSync(path.join(tmpdir(), "kafka-acls-"));
const passwords = {
  auth: randomBytes(12).toString("hex"),
  profile: randomBytes(12).toString("hex"),
  friendship: randomBytes(12).toString("hex"),
};
const brokerEnv = {
  ...process.env,
  KAFKA_PORT: String(port),
  KAFKA_CONTROLLER_PORT: String(port + 1),
  KAFKA_SASL_PORT: String(port + 2),
  KAFKA_HOME_DIR: home,
  KAFKA_SCRAM_USERS: Object.entries(passwords)
    .map(([name, password]) => `${name}=${password}`)
    .join(","),
};
const kafka = (command: string) =>
  promisify(execFile)("bash", [path.join(repoRoot, "scripts/components/kafka.sh"), command], { env: brokerEnv, timeout: 150_000 });

beforeAll(async () => {
  await kafka("start");
  await kafka("acls");
});
afterAll(async () => {
  await kafka("stop").catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
});

/** A service's bus as its configuration makes it: SASL_SSL with its own principal. */
function busOf(username: string, password: string, env: Record<string, string> = {}) {
  const reader = new EnvReader({
    ENVIRONMENT: "prod",
    KAFKA_SSL_CA_FILE: path.join(home, "tls/ca.crt"),
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
    ...env,
  });
  const security = readKafkaSecurity(reader);
  reader.done();
  return createKafkaBus({ brokers: [`localhost:${port + 2}`], clientId: `identity-${username}`, logger: silentLogger(), ...security });
}

const registered = (id: string) => ({
  topic: topics.users,
  key: id,
  value: new TextEncoder().encode(id),
  headers: { ce_specversion: "1.0", ce_id: id, ce_type: "user.registered", ce_source: "test", "content-type": "application/protobuf" },
});

test("auth writes user events; a forged user.registered from friendship's principal is refused by the broker", async () => {
  const auth = busOf("auth", passwords.auth);
  await auth.ensureTopics([topics.users]);
  await auth.publish([registered("0190b5a0-0000-7000-8000-000000000001")]);
  await auth.stop();

  const friendship = busOf("friendship", passwords.friendship);
  await expect(friendship.publish([registered("0190b5a0-0000-7000-8000-00000000f00d")])).rejects.toThrow(
    /TOPIC_AUTHORIZATION_FAILED|authoriz/i,
  );
  await friendship.stop();
});

test("a wrong password and a client without credentials are refused", async () => {
  const wrong = busOf("auth", "not-the-password");
  await expect(wrong.publish([registered("0190b5a0-0000-7000-8000-00000000bad1")])).rejects.toThrow(/SASL|authentication/i);
  await wrong.stop();

  const anonymous = busOf("", "", { KAFKA_SASL_USERNAME: "", KAFKA_SASL_PASSWORD: "", ENVIRONMENT: "dev" });
  await expect(anonymous.publish([registered("0190b5a0-0000-7000-8000-00000000bad2")])).rejects.toThrow();
  await anonymous.stop();
});
