// Verifies the auth service's own ES256 tokens in line with node:crypto, against the KeyObjects its key store
// holds: the refresh path's counterpart of sign-jwt.ts. jose's jwtVerify ran each verification as a
// WebCrypto job on the libuv pool (7 % of the service's CPU during refreshes, and queued behind Argon2id
// during logins). It checks what jose was asked to: exactly three parts, `alg` ES256 and the expected `typ`
// in the protected header, no `crit`, the signature over the first two parts, `iss`, `aud`, `exp`/`nbf`
// with the clock tolerance, and the required claims. Any failure is one error: the caller answers
// TOKEN_NOT_VALID whatever went wrong.
import { type KeyObject, verify } from "node:crypto";
import { SIGNING_ALGORITHM } from "@identity/shared/auth/token-claims.ts";

export interface Es256Expectations {
  typ: string;
  issuer: string;
  audiences: readonly string[];
  clockToleranceSeconds: number;
  requiredClaims: readonly string[];
}

export class JwtRefused extends Error {}

const refuse = (why: string): never => {
  throw new JwtRefused(why);
};

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeObject(part: string): Record<string, unknown> {
  if (!BASE64URL.test(part)) refuse("not base64url");
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    refuse("not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) refuse("not an object");
  return value as Record<string, unknown>;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export async function verifyJwtEs256(
  token: string,
  keyFor: (kid: string) => Promise<KeyObject>,
  expect: Es256Expectations,
  nowSeconds = Date.now() / 1000,
): Promise<Record<string, unknown>> {
  const parts = token.split(".");
  if (parts.length !== 3) refuse("not a compact JWS");
  const [h, p, s] = parts as [string, string, string];
  const header = decodeObject(h);
  if (header.alg !== SIGNING_ALGORITHM || header.typ !== expect.typ || "crit" in header || typeof header.kid !== "string") refuse("header");
  if (!BASE64URL.test(s)) refuse("signature encoding");
  const signature = Buffer.from(s, "base64url");
  if (signature.length !== 64) refuse("signature length");
  const key = await keyFor(header.kid as string);
  if (!verify("sha256", Buffer.from(`${h}.${p}`, "ascii"), { key, dsaEncoding: "ieee-p1363" }, signature)) refuse("signature");
  const claims = decodeObject(p);
  for (const name of expect.requiredClaims) if (!(name in claims)) refuse(`missing ${name}`);
  if (claims.iss !== expect.issuer) refuse("iss");
  const aud = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!aud.some((a) => expect.audiences.includes(a as string))) refuse("aud");
  const tolerance = expect.clockToleranceSeconds;
  if (!isNumber(claims.exp) || claims.exp <= nowSeconds - tolerance) refuse("exp");
  if ("nbf" in claims && (!isNumber(claims.nbf) || claims.nbf > nowSeconds + tolerance)) refuse("nbf");
  if ("iat" in claims && !isNumber(claims.iat)) refuse("iat");
  return claims;
}
