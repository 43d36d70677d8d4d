// Signed access tokens for the gateway tests: an ES256 key pair, its JWKS (served by the auth stub), and
// tokens with the claims the auth service issues. node:crypto only.
import { generateKeyPairSync, sign } from "node:crypto";

export interface TestSigner {
  jwks: { keys: object[] };
  token(claims?: Record<string, unknown>, header?: Record<string, unknown>): string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function testSigner(kid = "test-key-1"): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  return {
    jwks: { keys: [{ ...jwk, kid, alg: "ES256", use: "sig" }] },
    token(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const body = {
        iss: "identity-platform",
        aud: ["react-frontend"],
        sub: "0190b5a0-0000-7000-8000-0000000000aa",
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: `jti-${now}-${Math.random()}`,
        token_type: "access",
        username: "alice",
        email_verified: true,
        ...claims,
      };
      const input = `${b64url(JSON.stringify({ alg: "ES256", typ: "JWT", kid, ...header }))}.${b64url(JSON.stringify(body))}`;
      const signature = sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
      return `${input}.${b64url(signature)}`;
    },
  };
}
