// Which peer may speak for a client: over mutual TLS only the gateway's certificate; over plain HTTP
// (development, tests) the configured hops.
import { createContextValues, type HandlerContext } from "@connectrpc/connect";
import { peerAddressKey, peerSansKey } from "@identity/shared/rpc/request-context.ts";
import { clientAddress } from "../src/transport/client-address.ts";

function ctx(peer: string, sans: string[], forwardedFor?: string): HandlerContext {
  const requestHeader = new Headers(forwardedFor ? { "x-forwarded-for": forwardedFor } : {});
  const values = createContextValues().set(peerAddressKey, peer).set(peerSansKey, sans);
  return { requestHeader, values } as unknown as HandlerContext;
}

test("over mutual TLS the gateway's x-forwarded-for is believed, whatever TRUSTED_PROXY_HOPS says", () => {
  expect(clientAddress(ctx("10.0.0.2", ["envoy.identity.internal"], "203.0.113.1"), 0)).toBe("203.0.113.1");
});

test("another mTLS peer (a service) cannot speak for a client: it is counted as itself", () => {
  expect(clientAddress(ctx("10.0.0.3", ["profile.identity.internal"], "203.0.113.1"), 1)).toBe("10.0.0.3");
});

test("over plain HTTP only the configured hops are believed", () => {
  expect(clientAddress(ctx("127.0.0.1", [], "203.0.113.1"), 0)).toBe("127.0.0.1");
  expect(clientAddress(ctx("127.0.0.1", [], "198.51.100.1, 203.0.113.1"), 1)).toBe("203.0.113.1");
});

test("IPv6 clients are counted by their /64", () => {
  expect(clientAddress(ctx("10.0.0.2", ["envoy.identity.internal"], "2001:db8:1:2::77"), 0)).toBe("2001:db8:1:2::/64");
});
