// The certificates of gateway/certs/make-certs.sh, as TLS client options. `envoy` is the one client name the
// stack's services accept (TLS_ALLOWED_PEER_SANS); the others exist to be refused.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { certsDir } from "./stack.ts";

/** envoy: the allowed client; foreign: another CA; intruder: the right CA, another SAN; expired: expired yesterday. */
export type ClientCertName = "envoy" | "foreign" | "intruder" | "expired" | "auth" | "profile" | "friendship";

export interface ClientCert {
  cert: Buffer;
  key: Buffer;
}

export const platformCa = (): Buffer => readFileSync(join(certsDir, "ca.crt"));

export function clientCert(name: ClientCertName): ClientCert {
  return { cert: readFileSync(join(certsDir, `${name}.crt`)), key: readFileSync(join(certsDir, `${name}.key`)) };
}
