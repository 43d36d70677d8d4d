// The client address that per-client throttles count against.
// - Behind the gateway (TRUSTED_PROXY_HOPS=N > 0, 1 in the stack): the N-th address from the right of
//   x-forwarded-for. Envoy (use_remote_address) appends the real TCP peer it saw, so the last hop is the one
//   address a client cannot forge; anything further left is the client's own claim and is ignored.
// - Otherwise: the socket peer of the request (`peerAddressKey`), else one shared "unknown" bucket (fail
//   closed: throttled together, never unlimited).
// Trusting x-forwarded-for is only right when the RPC port is reachable from the gateway alone (mutual TLS
// in production).
import type { HandlerContext } from "@connectrpc/connect";
import { peerAddressKey, requestIdKey } from "@identity/shared/rpc/request-context.ts";
import type { RequestOrigin } from "../application/request-origin.ts";

export function clientAddress(ctx: HandlerContext, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const hops = (ctx.requestHeader.get("x-forwarded-for") ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    const client = hops[hops.length - trustedProxyHops];
    if (client) return client.slice(0, 64);
  }
  return ctx.values.get(peerAddressKey) ?? "unknown";
}

export function requestOrigin(ctx: HandlerContext, trustedProxyHops: number): RequestOrigin {
  return { client: clientAddress(ctx, trustedProxyHops), requestId: ctx.values.get(requestIdKey) || undefined };
}
