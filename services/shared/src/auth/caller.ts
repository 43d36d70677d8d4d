// The verified caller of an RPC, put in a typed context value by the auth interceptor. Handlers read it
// with requireCaller() and never parse headers themselves.
import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import { domainError, ErrorReason } from "../errors.ts";

export interface Caller {
  userId: string;
  username: string;
  emailVerified: boolean;
  /** The session of the token (`sid`); absent in tokens issued before sessions were named in them. */
  sessionId?: string;
}

/** Another backend of the platform, authenticated by API key or mesh certificate. */
export interface ServiceCaller {
  name: string;
  scopes: readonly string[];
}

export const callerKey = createContextKey<Caller | undefined>(undefined, { description: "verified end user" });
export const serviceCallerKey = createContextKey<ServiceCaller | undefined>(undefined, { description: "verified service" });

export function requireCaller(ctx: HandlerContext): Caller {
  const caller = ctx.values.get(callerKey);
  if (!caller) throw domainError(ErrorReason.NOT_AUTHENTICATED);
  return caller;
}
