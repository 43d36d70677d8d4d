// AuthService over Connect/gRPC/gRPC-Web: proto in, use case, proto out. Validation, authentication, error
// mapping and the 201/202 statuses are the shared handler's business.

import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { callerKey, requireCaller } from "@identity/shared/auth/caller.ts";
import type { AuthUseCases } from "../application/use-cases.ts";
import { sessionClient } from "../persistence/session.repository.ts";
import { toUserMessage } from "./auth-messages.ts";
import { clientAddress, requestOrigin } from "./client-address.ts";

export function authHandlers(useCases: AuthUseCases, options: { trustedProxyHops: number }): ServiceImpl<typeof AuthService> {
  const client = (ctx: HandlerContext) => clientAddress(ctx, options.trustedProxyHops);
  /** The client address and the request id, for throttles and the security log. */
  const origin = (ctx: HandlerContext) => requestOrigin(ctx, options.trustedProxyHops);
  const userAgent = (ctx: HandlerContext) => ctx.requestHeader.get("user-agent");
  return {
    async register(req, ctx) {
      const result = await useCases.register({
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
      return { user: toUserMessage(await useCases.verifyEmail({ userId: caller.userId, email: req.email, code: req.code })) };
    },
    async resendVerificationCode(req, ctx) {
      await useCases.resendVerificationCode({ email: req.email, callerId: ctx.values.get(callerKey)?.userId, client: client(ctx) });
      return {};
    },
    async login(req, ctx) {
      return useCases.login({ username: req.username, password: req.password, origin: origin(ctx), userAgent: userAgent(ctx) });
    },
    async refreshToken(req, ctx) {
      return useCases.refreshToken(req.refresh, sessionClient(userAgent(ctx), client(ctx)), origin(ctx));
    },
    async logout(req, ctx) {
      await useCases.logout(req.refresh, origin(ctx));
      return {};
    },
    async requestPasswordReset(req, ctx) {
      await useCases.requestPasswordReset({ email: req.email, client: client(ctx) });
      return {};
    },
    async confirmPasswordReset(req, ctx) {
      await useCases.confirmPasswordReset({ token: req.token, newPassword: req.newPassword, ...origin(ctx) });
      return {};
    },
    async changePassword(req, ctx) {
      return useCases.changePassword(requireCaller(ctx), {
        currentPassword: req.currentPassword,
        newPassword: req.newPassword,
        ...origin(ctx),
        userAgent: userAgent(ctx),
      });
    },
    async requestEmailChange(req, ctx) {
      await useCases.requestEmailChange(requireCaller(ctx), { newEmail: req.newEmail, password: req.password, ...origin(ctx) });
      return {};
    },
    async confirmEmailChange(req, ctx) {
      return { user: toUserMessage(await useCases.confirmEmailChange(requireCaller(ctx), { code: req.code, ...origin(ctx) })) };
    },
    async listSessions(_req, ctx) {
      const sessions = await useCases.listSessions(requireCaller(ctx));
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
      await useCases.revokeSession(requireCaller(ctx), req.id.toLowerCase(), origin(ctx));
      return {};
    },
    async logoutAll(_req, ctx) {
      await useCases.logoutAll(requireCaller(ctx), origin(ctx));
      return {};
    },
    async deleteAccount(req, ctx) {
      await useCases.deleteAccount(requireCaller(ctx), { password: req.password, ...origin(ctx) });
      return {};
    },
    getJwks() {
      return {
        keys: useCases.publishedKeys().map((k) => ({ kty: k.kty, crv: k.crv, x: k.x, y: k.y, kid: k.kid, alg: k.alg, use: k.use })),
      };
    },
  };
}
