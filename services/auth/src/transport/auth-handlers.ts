// AuthService over Connect/gRPC/gRPC-Web: proto in, use case, proto out. Validation, authentication, error
// mapping and the 201/202 statuses are the shared handler's business.
import type { ConnectRouter } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { callerKey, requireCaller } from "@identity/shared/auth/caller.ts";
import type { AuthDeps } from "../application/auth-deps.ts";
import { login } from "../application/login.ts";
import { register } from "../application/register.ts";
import { resendCode } from "../application/resend-code.ts";
import { logout, refresh } from "../application/sessions.ts";
import { verifyEmail } from "../application/verify-email.ts";
import type { SigningKeyStore } from "../keys/signing-key-store.ts";
import { clientAddress, requestOrigin } from "./client-address.ts";
import { toUserMessage } from "./user-message.ts";

export function registerAuthService(router: ConnectRouter, deps: AuthDeps, keys: SigningKeyStore): void {
  const client = (ctx: Parameters<typeof clientAddress>[0]) => clientAddress(ctx, deps.config.trustedProxyHops);
  const origin = (ctx: Parameters<typeof clientAddress>[0]) => requestOrigin(ctx, deps.config.trustedProxyHops);
  router.service(AuthService, {
    async register(req, ctx) {
      const result = await register(deps, {
        username: req.username,
        email: req.email,
        password: req.password,
        firstName: req.firstName,
        lastName: req.lastName,
        client: client(ctx),
      });
      return { user: toUserMessage(result.user), access: result.access, refresh: result.refresh };
    },
    async verifyEmail(req, ctx) {
      const caller = requireCaller(ctx);
      return { user: toUserMessage(await verifyEmail(deps, { userId: caller.userId, email: req.email, code: req.code })) };
    },
    async resendVerificationCode(req, ctx) {
      await resendCode(deps, { email: req.email, callerId: ctx.values.get(callerKey)?.userId, client: client(ctx) });
      return {};
    },
    async login(req, ctx) {
      return login(deps, { username: req.username, password: req.password, origin: origin(ctx) });
    },
    async refreshToken(req, ctx) {
      return refresh(deps, req.refresh, origin(ctx));
    },
    async logout(req) {
      await logout(deps, req.refresh);
      return {};
    },
    getJwks() {
      return { keys: keys.jwks().map((k) => ({ kty: k.kty, crv: k.crv, x: k.x, y: k.y, kid: k.kid, alg: k.alg, use: k.use })) };
    },
  });
}
