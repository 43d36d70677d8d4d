// AuthService over Connect/gRPC/gRPC-Web: proto in, use case, proto out. Validation, authentication, error
// mapping and the 201/202 statuses are the shared handler's business.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { callerKey, requireCaller } from "@identity/shared/auth/caller.ts";
import { deleteAccount } from "../application/account-deletion.ts";
import type { AuthDeps } from "../application/auth-deps.ts";
import { confirmEmailChange, requestEmailChange } from "../application/email-change.ts";
import { login } from "../application/login.ts";
import { changePassword } from "../application/password-change.ts";
import { confirmPasswordReset, requestPasswordReset } from "../application/password-reset.ts";
import { register } from "../application/register.ts";
import { resendCode } from "../application/resend-code.ts";
import { listSessions, logout, logoutAll, refresh, revokeSession } from "../application/sessions.ts";
import { verifyEmail } from "../application/verify-email.ts";
import type { SigningKeyStore } from "../keys/signing-key-store.ts";
import { sessionClient } from "../persistence/session.repository.ts";
import { clientAddress, requestOrigin } from "./client-address.ts";
import { toUserMessage } from "./user-message.ts";

export function registerAuthService(router: ConnectRouter, deps: AuthDeps, keys: SigningKeyStore): void {
  const client = (ctx: HandlerContext) => clientAddress(ctx, deps.config.trustedProxyHops);
  /** The client address and the request id, for throttles and the security log. */
  const origin = (ctx: HandlerContext) => requestOrigin(ctx, deps.config.trustedProxyHops);
  const userAgent = (ctx: HandlerContext) => ctx.requestHeader.get("user-agent");
  router.service(AuthService, {
    async register(req, ctx) {
      const result = await register(deps, {
        username: req.username,
        email: req.email,
        password: req.password,
        firstName: req.firstName,
        lastName: req.lastName,
        client: client(ctx),
        userAgent: userAgent(ctx),
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
      return login(deps, { username: req.username, password: req.password, origin: origin(ctx), userAgent: userAgent(ctx) });
    },
    async refreshToken(req, ctx) {
      return refresh(deps, req.refresh, sessionClient(userAgent(ctx), client(ctx)), origin(ctx));
    },
    async logout(req, ctx) {
      await logout(deps, req.refresh, origin(ctx));
      return {};
    },
    async requestPasswordReset(req, ctx) {
      await requestPasswordReset(deps, { email: req.email, client: client(ctx) });
      return {};
    },
    async confirmPasswordReset(req, ctx) {
      await confirmPasswordReset(deps, { token: req.token, newPassword: req.newPassword, ...origin(ctx) });
      return {};
    },
    async changePassword(req, ctx) {
      return changePassword(deps, requireCaller(ctx), {
        currentPassword: req.currentPassword,
        newPassword: req.newPassword,
        ...origin(ctx),
        userAgent: userAgent(ctx),
      });
    },
    async requestEmailChange(req, ctx) {
      await requestEmailChange(deps, requireCaller(ctx), { newEmail: req.newEmail, password: req.password, ...origin(ctx) });
      return {};
    },
    async confirmEmailChange(req, ctx) {
      return { user: toUserMessage(await confirmEmailChange(deps, requireCaller(ctx), { code: req.code, ...origin(ctx) })) };
    },
    async listSessions(_req, ctx) {
      const sessions = await listSessions(deps, requireCaller(ctx));
      return {
        sessions: sessions.map((s) => ({
          id: s.id,
          createdAt: timestampFromDate(s.createdAt),
          lastUsedAt: timestampFromDate(s.lastUsedAt),
          userAgent: s.userAgent,
          clientAddress: s.clientAddress,
          current: s.current,
        })),
      };
    },
    async revokeSession(req, ctx) {
      await revokeSession(deps, requireCaller(ctx), req.id.toLowerCase(), origin(ctx));
      return {};
    },
    async logoutAll(_req, ctx) {
      await logoutAll(deps, requireCaller(ctx), origin(ctx));
      return {};
    },
    async deleteAccount(req, ctx) {
      await deleteAccount(deps, requireCaller(ctx), { password: req.password, ...origin(ctx) });
      return {};
    },
    getJwks() {
      return { keys: keys.jwks().map((k) => ({ kty: k.kty, crv: k.crv, x: k.x, y: k.y, kid: k.kid, alg: k.alg, use: k.use })) };
    },
  });
}
