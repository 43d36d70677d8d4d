// Reads the claims of an access token. The browser never verifies the signature: the gateway and the
// services do. The app only needs `exp`/`iat` to plan the refresh and a few claims to address the user.

export type AccessClaims = {
  /** User id. */
  sub: string;
  username: string;
  emailVerified: boolean;
  /** Seconds since the epoch, server clock. */
  exp: number;
  /** Seconds since the epoch, server clock; 0 when absent. */
  iat: number;
};

export class MalformedTokenError extends Error {
  override name = "MalformedTokenError";
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) throw new MalformedTokenError("not a JWT");
  let json: unknown;
  try {
    json = JSON.parse(base64UrlDecode(payload));
  } catch {
    throw new MalformedTokenError("payload is not base64url JSON");
  }
  if (typeof json !== "object" || json === null) throw new MalformedTokenError("payload is not an object");
  return json as Record<string, unknown>;
}

export function readAccessClaims(token: string): AccessClaims {
  const p = decodeJwtPayload(token);
  if (typeof p.exp !== "number") throw new MalformedTokenError("no exp claim");
  return {
    sub: typeof p.sub === "string" ? p.sub : "",
    username: typeof p.username === "string" ? p.username : "",
    emailVerified: p.email_verified === true,
    exp: p.exp,
    iat: typeof p.iat === "number" ? p.iat : 0,
  };
}

function base64UrlDecode(input: string): string {
  const base64 = input
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(input.length / 4) * 4, "=");
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
