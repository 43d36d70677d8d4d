// Unsigned JWT-shaped tokens for tests: the app only decodes the payload, it never verifies.

function base64Url(json: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export type TestClaims = {
  sub?: string;
  username?: string;
  email_verified?: boolean;
  iat?: number;
  exp?: number;
  token_type?: string;
};

export function makeToken(claims: TestClaims, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const payload = {
    sub: "0190a0a0-0000-7000-8000-000000000001",
    username: "alice",
    email_verified: true,
    token_type: "access",
    iat: nowSeconds,
    exp: nowSeconds + 300,
    ...claims,
  };
  return `${base64Url({ alg: "EdDSA", typ: "JWT", kid: "test" })}.${base64Url(payload)}.c2lnbmF0dXJl`;
}
