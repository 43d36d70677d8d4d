// Issues and reads the platform's tokens (ES256 with node:crypto over the key store's KeyObjects, in line;
// `kid` and `typ` headers, SimpleJWT-compatible claims). Other services verify access tokens with jose.
// Access and refresh tokens differ in `typ` and `token_type`, and each verifier demands its own.

import { ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP } from "@identity/shared/auth/token-claims.ts";
import { newId } from "@identity/shared/ids.ts";
import { type TokenIssuer, type TokenSubject, tokenNotValid } from "../application/ports.ts";
import type { AuthConfig } from "../config.ts";
import { signJwtEs256 } from "./sign-jwt.ts";
import type { SigningKeyStore } from "./signing-key-store.ts";
import { verifyJwtEs256 } from "./verify-jwt.ts";

export interface TokenIssuerOptions {
  keys: SigningKeyStore;
  /** The platform's issuer and audiences (the common configuration's `jwt`). */
  jwt: { issuer: string; audiences: readonly string[] };
  config: Pick<AuthConfig, "accessTokenTtlSeconds" | "refreshTokenTtlSeconds">;
}

export function createTokenIssuer({ keys, jwt, config }: TokenIssuerOptions): TokenIssuer {
  const options = {
    keys,
    issuer: jwt.issuer,
    audiences: jwt.audiences,
    accessTtlSeconds: config.accessTokenTtlSeconds,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
  };
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
