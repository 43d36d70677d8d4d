import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";

/** Gives the access token to put on a call, refreshing it first when it is about to expire. */
export type AccessTokenSource = () => Promise<string | undefined>;

// These services authenticate by what is in the request (password, code, refresh token) or not at all;
// asking the session for an access token there would make a refresh call wait for itself.
const SERVICES_WITHOUT_BEARER = new Set(["identity.auth.v1.AuthService", "identity.dev.v1.DevMailService"]);

// ...except these AuthService methods, which act on the signed-in caller's own account.
const AUTH_METHODS_WITH_BEARER = new Set([
  "VerifyEmail",
  "ResendVerificationCode",
  "ChangePassword",
  "RequestEmailChange",
  "ConfirmEmailChange",
  "ListSessions",
  "RevokeSession",
  "LogoutAll",
  "DeleteAccount",
]);

function needsBearer(service: string, method: string): boolean {
  if (!SERVICES_WITHOUT_BEARER.has(service)) return true;
  return service === "identity.auth.v1.AuthService" && AUTH_METHODS_WITH_BEARER.has(method);
}

/**
 * Puts the access token on the calls that need one. When such a call is refused as unauthenticated (the
 * session was ended elsewhere: logged out from another device, password reset, account deleted),
 * `onRefused` runs, so the session can try its refresh token and, if that is refused too, end in this tab.
 */
export function createBearerInterceptor(accessToken: AccessTokenSource, onRefused?: () => void): Interceptor {
  return (next) => async (req) => {
    if (!needsBearer(req.service.typeName, req.method.name)) return next(req);
    const token = await accessToken();
    if (token) req.header.set("Authorization", `Bearer ${token}`);
    try {
      return await next(req);
    } catch (err) {
      if (token && onRefused && ConnectError.from(err).code === Code.Unauthenticated) onRefused();
      throw err;
    }
  };
}

export type ApiTransportOptions = {
  baseUrl: string;
  accessToken: AccessTokenSource;
  /** A call with the access token was refused as unauthenticated. */
  onRefused?: () => void;
  fetch?: typeof globalThis.fetch;
};

export function createApiTransport(options: ApiTransportOptions): Transport {
  return createConnectTransport({
    baseUrl: options.baseUrl,
    interceptors: [createBearerInterceptor(options.accessToken, options.onRefused)],
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
