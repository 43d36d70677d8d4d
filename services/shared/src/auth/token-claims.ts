// The shape of the platform's tokens, shared by the issuer (auth service) and every verifier.
// SimpleJWT-compatible claims (`token_type`, `jti`) plus `username` and `email_verified`.
export const SIGNING_ALGORITHM = "ES256";
/** JOSE `typ` headers: an access token is never accepted where a refresh token is expected, nor the reverse. */
export const ACCESS_TOKEN_TYP = "at+jwt";
export const REFRESH_TOKEN_TYP = "refresh+jwt";

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  token_type: "access";
  username: string;
  email_verified: boolean;
  /** The session the token was issued for: what revocation refers to. */
  sid: string;
}
