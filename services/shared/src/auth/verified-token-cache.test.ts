import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from "jose";
import { createAccessTokenVerifier } from "./access-token-verifier.ts";
import { ACCESS_TOKEN_TYP, SIGNING_ALGORITHM } from "./token-claims.ts";
import { createVerifiedTokenCache } from "./verified-token-cache.ts";

const caller = { userId: "u1", username: "ann", emailVerified: true };

test("a remembered token is served until its expiry, then forgotten", () => {
  const cache = createVerifiedTokenCache();
  cache.remember("t", caller, 10_000);
  expect(cache.get("t", 9_999)).toEqual(caller);
  expect(cache.get("t", 10_000)).toBeUndefined();
  expect(cache.size).toBe(0);
  expect(cache.get("other", 0)).toBeUndefined();
});

test("the cache is bounded: the oldest entry makes room", () => {
  const cache = createVerifiedTokenCache(2);
  cache.remember("a", caller, 10_000);
  cache.remember("b", caller, 10_000);
  cache.remember("c", caller, 10_000);
  expect(cache.size).toBe(2);
  expect(cache.get("a", 0)).toBeUndefined();
  expect(cache.get("c", 0)).toEqual(caller);
});

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM);
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: SIGNING_ALGORITHM }] });
  let lookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    lookups += 1;
    return jwks(header, token);
  };
  const sign = (claims: Record<string, unknown>, expiresIn: string) =>
    new SignJWT({ token_type: "access", username: "ann", email_verified: true, ...claims })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: "k", typ: ACCESS_TOKEN_TYP })
      .setIssuer("iss")
      .setSubject("u1")
      .setAudience("aud")
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime(expiresIn)
      .setJti("j")
      .sign(privateKey);
  return { keys, sign, lookups: () => lookups };
}

test("the verifier checks a token's signature once, and never remembers a refused token", async () => {
  const s = await signer();
  const verifier = createAccessTokenVerifier({ keys: s.keys, issuer: "iss", audiences: ["aud"] });
  const token = await s.sign({}, "5m");
  await expect(verifier.verify(token)).resolves.toEqual(caller);
  await expect(verifier.verify(token)).resolves.toEqual(caller);
  expect(s.lookups()).toBe(1);

  const refresh = await s.sign({ token_type: "refresh" }, "5m");
  await expect(verifier.verify(refresh)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  await expect(verifier.verify(refresh)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(s.lookups()).toBe(3);
});

test("with the cache off, every request verifies the signature", async () => {
  const s = await signer();
  const verifier = createAccessTokenVerifier({ keys: s.keys, issuer: "iss", audiences: ["aud"], cacheEntries: 0 });
  const token = await s.sign({}, "5m");
  await verifier.verify(token);
  await verifier.verify(token);
  expect(s.lookups()).toBe(2);
});
