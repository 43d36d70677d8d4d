// Issues and reads the platform's tokens (ES256 with node:crypto over the key store's KeyObjects, in line;
// `kid` and `typ` headers, SimpleJWT-compatible claims). Other services verify access tokens with jose.
// Access and refresh tokens differ in `typ` and `token_type`, and each verifier demands its own.

import { ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP } from "@identity/shared/auth/token-claims.ts";
import { unauthenticated } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import { signJwtEs256 } from "../keys/sign-jwt.ts";
import type { SigningKeyStore } from "../keys/signing-key-store.ts";
import { verifyJwtEs256 } from "../keys/verify-jwt.ts";

export interface TokenSubject {
  userId: string;
  username: string;
  emailVerified: boolean;
}

export interface TokenPair {
  access: string;
  refresh: string;
}

export interface TokenIssuerOptions {
  keys: SigningKeyStore;
  issuer: string;
  audiences: readonly string[];
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export const tokenNotValid = () => unauthenticated("TOKEN_NOT_VALID", "Token is invalid or expired");

export interface TokenIssuer {
  /**
   * A pair for session `session.id` (the `sid` claim of both tokens, what revocation refers to) whose refresh
   * token has id `refreshJti` and expires at the latest with the session.
   */
  issue(subject: TokenSubject, session: { id: string; refreshJti: string; expiresAt: Date }): Promise<TokenPair>;
  /** The jti of a valid refresh token, or TOKEN_NOT_VALID. Whether it is spent is the database's business. */
  readRefresh(token: string): Promise<{ jti: string; userId: string }>;
}

export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const audience = options.audiences.length === 1 ? options.audiences[0]! : [...options.audiences];
  const sign = (typ: string, claims: Record<string, unknown>, subject: TokenSubject, jti: string, now: number, exp: number) => {
    const key = options.keys.signingKey();
    return signJwtEs256(
      { kid: key.kid, typ },
      {
        ...claims,
        username: subject.username,
        email_verified: subject.emailVerified,
        iss: options.issuer,
        sub: subject.userId,
        aud: audience,
        iat: now,
        nbf: now,
        exp,
        jti,
      },
      key.privateKey,
    );
  };
  return {
    async issue(subject, session) {
      const now = Math.floor(Date.now() / 1000);
      const refreshExp = Math.min(now + options.refreshTtlSeconds, Math.floor(session.expiresAt.getTime() / 1000));
      return {
        access: sign(ACCESS_TOKEN_TYP, { token_type: "access", sid: session.id }, subject, newId(), now, now + options.accessTtlSeconds),
        refresh: sign(REFRESH_TOKEN_TYP, { token_type: "refresh", sid: session.id }, subject, session.refreshJti, now, refreshExp),
      };
    },
    async readRefresh(token) {
      try {
        const payload = await verifyJwtEs256(token, options.keys.publicKey, {
          typ: REFRESH_TOKEN_TYP,
          issuer: options.issuer,
          audiences: options.audiences,
          clockToleranceSeconds: 5,
          requiredClaims: ["sub", "exp", "iat", "jti"],
        });
        if (payload.token_type !== "refresh" || typeof payload.jti !== "string" || typeof payload.sub !== "string") throw tokenNotValid();
        if (!/^[0-9a-f-]{36}$/i.test(payload.jti)) throw tokenNotValid();
        return { jti: payload.jti, userId: payload.sub };
      } catch {
        throw tokenNotValid();
      }
    },
  };
}
