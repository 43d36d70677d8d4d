// Token checks at the edge, as Envoy's jwt_authn does them: a route whose edge plan requires a token needs a
// valid access token in the Authorization header (never from a query string or cookie), checked with the
// same verifier the services use (the auth service's keys, in process). The services check again.
import type { IncomingMessage } from "node:http";
import { reasonMessage } from "@identity/proto/error-reasons";
import { type AccessTokenVerifier, bearerToken } from "@identity/shared/auth/access-token-verifier.ts";
import { DomainError, ErrorReason, reasonName } from "@identity/shared/errors.ts";
import type { PlannedRoute } from "../edge-plan.ts";

export interface EdgeAuthFailure {
  reason: string;
  message: string;
}

const failure = (reason: ErrorReason, message = reasonMessage(reason)): EdgeAuthFailure => ({ reason: reasonName(reason), message });

/** The plan's token requirement, as Envoy's jwt_authn applies it: an optional token is checked when sent. */
export function needsTokenCheck(route: Pick<PlannedRoute, "token">, req: IncomingMessage): boolean {
  return route.token === "required" || (route.token === "optional" && req.headers.authorization !== undefined);
}

export async function checkAccessToken(req: IncomingMessage, verifier: AccessTokenVerifier): Promise<EdgeAuthFailure | undefined> {
  const header = req.headers.authorization;
  const token = bearerToken(typeof header === "string" ? header : null);
  if (!token) {
    return header ? failure(ErrorReason.TOKEN_NOT_VALID) : failure(ErrorReason.NOT_AUTHENTICATED);
  }
  try {
    await verifier.verify(token);
    return undefined;
  } catch (err) {
    return failure(ErrorReason.TOKEN_NOT_VALID, err instanceof DomainError ? err.message : undefined);
  }
}
