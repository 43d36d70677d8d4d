// Token checks at the edge, as Envoy's jwt_authn does them: a route whose RPC is ACCESS_USER needs a valid
// access token in the Authorization header (never from a query string or cookie), checked with the same
// verifier the services use (the auth service's keys, in process). The services check again.
import type { IncomingMessage } from "node:http";
import { type AccessTokenVerifier, bearerToken } from "@identity/shared/auth/access-token-verifier.ts";
import { DomainError } from "@identity/shared/errors.ts";

export interface EdgeAuthFailure {
  reason: "NOT_AUTHENTICATED" | "TOKEN_NOT_VALID";
  message: string;
}

/** As Envoy's requirements: ACCESS_USER always, ACCESS_USER_OPTIONAL when an Authorization header is sent. */
export function needsTokenCheck(route: { access: string }, req: IncomingMessage): boolean {
  return route.access === "user" || (route.access === "user_optional" && req.headers.authorization !== undefined);
}

export async function checkAccessToken(req: IncomingMessage, verifier: AccessTokenVerifier): Promise<EdgeAuthFailure | undefined> {
  const header = req.headers.authorization;
  const token = bearerToken(typeof header === "string" ? header : null);
  if (!token) {
    return header
      ? { reason: "TOKEN_NOT_VALID", message: "Given token not valid for any token type" }
      : { reason: "NOT_AUTHENTICATED", message: "Authentication credentials were not provided." };
  }
  try {
    await verifier.verify(token);
    return undefined;
  } catch (err) {
    const message = err instanceof DomainError ? err.message : "Given token not valid for any token type";
    return { reason: "TOKEN_NOT_VALID", message };
  }
}
