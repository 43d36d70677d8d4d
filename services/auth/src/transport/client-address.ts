// The client address that per-client throttles count against, as a counting key (IPv6 by its /64).
// - Over mutual TLS (the stack, production): the gateway's `x-forwarded-for` (one address, the client it
//   resolved: gateway/src/envoy/render.ts, the embedded gateway) is believed only from a peer presenting the
//   gateway's certificate. Any other peer (another service) is counted as itself: it cannot speak for a client.
// - Over plain HTTP (development and tests only: production refuses to start without mutual TLS), where no
//   certificate says who is calling: TRUSTED_PROXY_HOPS=N (N > 0) believes the N-th address from the right
//   of x-forwarded-for; the embedded gateway hosts the services with N = 1.
// - Otherwise the socket peer, else one shared "unknown" bucket (fail closed: throttled together, never
//   unlimited).
import type { HandlerContext } from "@connectrpc/connect";
import { clientKey, GATEWAY_PEER_SANS } from "@identity/shared/net/client-address.ts";
import { peerAddressKey, peerSansKey, requestIdKey } from "@identity/shared/rpc/request-context.ts";
import type { RequestOrigin } from "../application/request-origin.ts";

function forwardedEntries(ctx: HandlerContext): string[] {
  return (ctx.requestHeader.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
}

export function clientAddress(ctx: HandlerContext, trustedProxyHops: number): string {
  const peer = ctx.values.get(peerAddressKey);
  const sans = ctx.values.get(peerSansKey);
  const hops = forwardedEntries(ctx);
  if (sans.length > 0) {
    const fromGateway = sans.some((san) => GATEWAY_PEER_SANS.includes(san));
    const forwarded = hops[hops.length - 1];
    return clientKey(fromGateway && forwarded ? forwarded : (peer ?? "unknown"));
  }
  if (trustedProxyHops > 0) {
    const client = hops[hops.length - trustedProxyHops];
    if (client) return clientKey(client);
  }
  return clientKey(peer ?? "unknown");
}

export function requestOrigin(ctx: HandlerContext, trustedProxyHops: number): RequestOrigin {
  return { client: clientAddress(ctx, trustedProxyHops), requestId: ctx.values.get(requestIdKey) || undefined };
}
