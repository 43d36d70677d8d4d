import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { signJwtEs256 } from "./sign-jwt.ts";
import { type Es256Expectations, JwtRefused, verifyJwtEs256 } from "./verify-jwt.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyFor = async (kid: string): Promise<KeyObject> => {
  if (kid !== "k1") throw new Error("unknown signing key");
  return publicKey;
};
const expect_: Es256Expectations = {
  typ: "refresh+jwt",
  issuer: "iss",
  audiences: ["aud"],
  clockToleranceSeconds: 5,
  requiredClaims: ["sub", "exp", "iat", "jti"],
};
const NOW = 1_800_000_000;
const claims = { iss: "iss", aud: "aud", sub: "u1", iat: NOW, nbf: NOW, exp: NOW + 60, jti: "j1", token_type: "refresh" };
const token = (
  overrides: Record<string, unknown> = {},
  header: { kid: string; typ: string } = { kid: "k1", typ: "refresh+jwt" },
  key = privateKey,
) => signJwtEs256(header, { ...claims, ...overrides }, key);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

test("a token it signed verifies, with its claims", async () => {
  await expect(verifyJwtEs256(token(), keyFor, expect_, NOW)).resolves.toMatchObject({ sub: "u1", jti: "j1" });
  await expect(verifyJwtEs256(token({ aud: ["x", "aud"] }), keyFor, expect_, NOW)).resolves.toBeDefined();
  // within the clock tolerance on both ends
  await expect(verifyJwtEs256(token(), keyFor, expect_, NOW + 64)).resolves.toBeDefined();
  await expect(verifyJwtEs256(token({ nbf: NOW + 4 }), keyFor, expect_, NOW)).resolves.toBeDefined();
});

test.each([
  ["expired past the tolerance", () => token(), NOW + 66],
  ["not yet valid", () => token({ nbf: NOW + 30 }), NOW],
  ["another issuer", () => token({ iss: "other" }), NOW],
  ["another audience", () => token({ aud: "other" }), NOW],
  ["a required claim missing", () => token({ jti: undefined }), NOW],
  ["exp not a number", () => token({ exp: "soon" }), NOW],
  ["another typ (an access token)", () => token({}, { kid: "k1", typ: "at+jwt" }), NOW],
  ["signed by another key", () => token({}, { kid: "k1", typ: "refresh+jwt" }, other.privateKey), NOW],
  ["an unknown kid", () => token({}, { kid: "k9", typ: "refresh+jwt" }), NOW],
  ["a changed payload", () => token().replace(/\.[^.]+\./, `.${b64({ ...claims, sub: "u2" })}.`), NOW],
  ["alg none", () => `${b64({ alg: "none", typ: "refresh+jwt", kid: "k1" })}.${b64(claims)}.`, NOW],
  ["alg HS256", () => `${b64({ alg: "HS256", typ: "refresh+jwt", kid: "k1" })}.${token().split(".").slice(1).join(".")}`, NOW],
  [
    "a crit header",
    () => `${b64({ alg: "ES256", typ: "refresh+jwt", kid: "k1", crit: ["x"] })}.${token().split(".").slice(1).join(".")}`,
    NOW,
  ],
  ["two parts", () => token().split(".").slice(0, 2).join("."), NOW],
  ["four parts", () => `${token()}.x`, NOW],
  ["a header that is not JSON", () => `bm90IGpzb24.${token().split(".").slice(1).join(".")}`, NOW],
  [
    "a DER signature instead of r||s",
    () => `${token().split(".").slice(0, 2).join(".")}.${Buffer.alloc(70, 1).toString("base64url")}`,
    NOW,
  ],
])("refused: %s", async (_name, make, now) => {
  await expect(verifyJwtEs256(make(), keyFor, expect_, now)).rejects.toBeInstanceOf(Error);
});

test("a bad signature is a refusal, not a crash", async () => {
  await expect(verifyJwtEs256(token({}, { kid: "k1", typ: "refresh+jwt" }, other.privateKey), keyFor, expect_, NOW)).rejects.toBeInstanceOf(
    JwtRefused,
  );
});
