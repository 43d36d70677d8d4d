// How the Kafka client authenticates and encrypts: TLS (KAFKA_SSL_*: the broker's CA, and a client
// certificate where the broker asks for one) and SASL SCRAM-SHA-512 (KAFKA_SASL_*: one principal per service,
// whose ACLs let it write only its own topics). Unset, the client speaks plaintext without credentials, as to
// the local development broker.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { EnvReader } from "../config.ts";

export interface KafkaSecurity {
  ssl?: ConnectionOptions;
  sasl?: { mechanism: "scram-sha-512"; username: string; password: string };
}

export function readKafkaSecurity(env: EnvReader): KafkaSecurity {
  const security: KafkaSecurity = {};
  const caFile = env.optionalString("KAFKA_SSL_CA_FILE");
  const certFile = env.optionalString("KAFKA_SSL_CERT_FILE");
  const keyFile = env.optionalString("KAFKA_SSL_KEY_FILE");
  const servername = env.optionalString("KAFKA_SSL_SERVERNAME");
  const ssl = env.bool("KAFKA_SSL", { default: Boolean(caFile || certFile) });
  if (Boolean(certFile) !== Boolean(keyFile)) env.problem("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together");
  if (ssl) {
    security.ssl = {
      ...(caFile ? { ca: readFileSync(caFile) } : {}),
      ...(certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : {}),
      ...(servername ? { servername } : {}),
    };
  }
  const mechanism = env.optionalString("KAFKA_SASL_MECHANISM");
  const username = env.optionalString("KAFKA_SASL_USERNAME");
  const password = env.optionalString("KAFKA_SASL_PASSWORD");
  if (mechanism || username || password) {
    if ((mechanism ?? "scram-sha-512").toLowerCase() !== "scram-sha-512") env.problem("KAFKA_SASL_MECHANISM must be scram-sha-512");
    if (!username || !password) env.problem("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together");
    // Credentials and events never cross the network in clear text in production.
    if (!ssl && env.environment === "prod") env.problem("KAFKA_SASL_* needs KAFKA_SSL in production");
    security.sasl = { mechanism: "scram-sha-512", username: username ?? "", password: password ?? "" };
  }
  return security;
}
