// REST answers keep the original service's status codes (201 Created, 202 Accepted). The contract gives
// each RPC's success status; this interceptor puts it in the `x-http-status` response header, which both
// gateways turn into the HTTP status of a transcoded answer (and strip). A handler whose status depends on
// the outcome (a friend request that accepts a pending one answers 200) overrides it with setHttpStatus().
import type { HandlerContext, Interceptor } from "@connectrpc/connect";
import { findRoute } from "@identity/proto/contract";

export const HTTP_STATUS_HEADER = "x-http-status";

export function setHttpStatus(ctx: HandlerContext, status: number): void {
  ctx.responseHeader.set(HTTP_STATUS_HEADER, String(status));
}

export function createHttpStatusInterceptor(): Interceptor {
  return (next) => async (req) => {
    const res = await next(req);
    const successStatus = findRoute(req.method)?.successStatus ?? 200;
    if (successStatus !== 200 && !res.header.has(HTTP_STATUS_HEADER)) res.header.set(HTTP_STATUS_HEADER, String(successStatus));
    return res;
  };
}
