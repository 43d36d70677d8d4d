// Verifies access tokens: signature against the JWKS (by `kid`), `alg` ES256 only, `typ`, `iss`, `aud`,
// `exp`/`nbf`, and `token_type: access`. A refresh token is never accepted here. A verified token is
// remembered until its `exp` (verified-token-cache.ts), so its signature is checked once, not per request.
import { type JWTVerifyGetKey, jwtVerify } from "jose";
import { domainError, ErrorReason } from "../errors.ts";
import type { Caller } from "./caller.ts";
import type { RevocationList } from "./revocation-list.ts";
import { ACCESS_TOKEN_TYP, SIGNING_ALGORITHM } from "./token-claims.ts";
import { createVerifiedTokenCache } from "./verified-token-cache.ts";

export interface AccessTokenVerifier {
  verify(token: string): Promise<Caller>;
}

export interface VerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audiences: readonly string[];
  /** Tolerated clock skew, seconds. */
  clockToleranceSeconds?: number;
  /** How many verified tokens are remembered (default 10,000; 0 verifies every time). */
  cacheEntries?: number;
}

const tokenNotValid = () => domainError(ErrorReason.TOKEN_NOT_VALID);

export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  const cacheEntries = options.cacheEntries ?? 10_000;
  const cache = cacheEntries > 0 ? createVerifiedTokenCache(cacheEntries) : undefined;
  return {
    async verify(token) {
      const cached = cache?.get(token);
      if (cached) return cached;
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, options.keys, {
          algorithms: [SIGNING_ALGORITHM],
          typ: ACCESS_TOKEN_TYP,
          issuer: options.issuer,
          audience: [...options.audiences],
          clockTolerance: options.clockToleranceSeconds ?? 5,
          requiredClaims: ["sub", "exp", "iat", "nbf", "jti"],
        }));
      } catch {
        throw tokenNotValid();
      }
      if (payload.token_type !== "access" || typeof payload.sub !== "string" || typeof payload.username !== "string") {
        throw tokenNotValid();
      }
      const caller: Caller = Object.freeze({
        userId: payload.sub,
        username: payload.username,
        emailVerified: payload.email_verified === true,
        ...(typeof payload.sid === "string" ? { sessionId: payload.sid } : {}),
      });
      // requiredClaims made `exp` present; jose checked it is a number in the future.
      cache?.remember(token, caller, (payload.exp as number) * 1000);
      return caller;
    },
  };
}

export const accountDeleted = () => domainError(ErrorReason.ACCOUNT_DELETED);

/**
 * The services' verifier: the signature verifier, then the revocation list (an ended session's tokens are
 * TOKEN_NOT_VALID, a deleted account's ACCOUNT_DELETED). The gateways check signatures only.
 */
export function withRevocations(verifier: AccessTokenVerifier, list: RevocationList): AccessTokenVerifier {
  return {
    async verify(token) {
      const caller = await verifier.verify(token);
      const refusal = list.refusal(caller.userId, caller.sessionId);
      if (refusal === "account_deleted") throw accountDeleted();
      if (refusal === "session_revoked") throw tokenNotValid();
      return caller;
    },
  };
}

/** `Authorization: Bearer <token>`, case-insensitive scheme; undefined when absent or malformed. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization?.trim() ?? "");
  return match?.[1];
}
