// Compact JWS (ES256) signing with node:crypto's one-shot sign() over the KeyObject the key store holds.
// jose's SignJWT goes through WebCrypto, which runs each signature as a job on the libuv thread pool: the
// pool Argon2id keeps busy during logins, so every refresh and login waited for a free thread behind the
// hashes, and each signature paid the CryptoKey import and the job's promise. A P-256 signature takes tens
// of microseconds in line. Verification stays with jose (verifiers demand alg, typ, iss, aud, exp, nbf).
import { type KeyObject, sign } from "node:crypto";
import { SIGNING_ALGORITHM } from "@identity/shared/auth/token-claims.ts";

const encode = (value: object) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** `header.payload.signature`, ES256 with the signature as JOSE wants it (r || s, 64 bytes). */
export function signJwtEs256(header: { kid: string; typ: string }, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${encode({ alg: SIGNING_ALGORITHM, ...header })}.${encode(payload)}`;
  const signature = sign("sha256", Buffer.from(input, "ascii"), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}
