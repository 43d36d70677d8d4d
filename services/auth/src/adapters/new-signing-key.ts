// A fresh signing key pair: EC P-256, its public JWK named by its RFC 7638 thumbprint, and the private key
// sealed for the database.
import { generateKeyPairSync } from "node:crypto";
import { SIGNING_ALGORITHM } from "@identity/shared/auth/token-claims.ts";
import { calculateJwkThumbprint, type JWK } from "jose";
import { seal } from "./key-encryption.ts";

export interface NewSigningKey {
  kid: string;
  jwk: JWK;
  /** The PKCS#8 DER of the private key, sealed (AES-256-GCM, the kid as additional data). */
  sealed: Buffer;
}

export async function newSigningKey(encryptionKey: Buffer): Promise<NewSigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const exported = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(exported);
  const jwk: JWK = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y, kid, alg: SIGNING_ALGORITHM, use: "sig" };
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  return { kid, jwk, sealed: seal(encryptionKey, kid, der) };
}
