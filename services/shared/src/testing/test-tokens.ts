// Access tokens for tests of services other than auth: a throwaway ES256 key, the platform's claims, and a
// verifier over that key. Tests of the auth service use real tokens from Login instead.
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "../auth/access-token-verifier.ts";
import { ACCESS_TOKEN_TYP, SIGNING_ALGORITHM } from "../auth/token-claims.ts";
import { newId } from "../ids.ts";

export interface TestTokens {
  verifier: AccessTokenVerifier;
  accessToken(user: { userId: string; username: string; emailVerified?: boolean }, overrides?: Record<string, unknown>): Promise<string>;
}

export async function createTestTokens(issuer = "identity-platform", audience = "react-frontend"): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM);
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: SIGNING_ALGORITHM, use: "sig" };
  const verifier = createAccessTokenVerifier({ keys: createLocalJWKSet({ keys: [jwk] }), issuer, audiences: [audience] });
  return {
    verifier,
    async accessToken(user, overrides = {}) {
      return new SignJWT({ token_type: "access", username: user.username, email_verified: user.emailVerified ?? true, ...overrides })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: "test-key", typ: ACCESS_TOKEN_TYP })
        .setIssuer(issuer)
        .setSubject(user.userId)
        .setAudience(audience)
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime("5m")
        .setJti(newId())
        .sign(privateKey);
    },
  };
}
