import { clientKey, isCidr, plainAddress, resolveClientAddress } from "./client-address.ts";

const none = { hops: 0, cidrs: [] };

test("without trusted proxies the socket peer is the client, whatever X-Forwarded-For says", () => {
  expect(resolveClientAddress("198.51.100.7", "203.0.113.1", none)).toBe("198.51.100.7");
  expect(resolveClientAddress("::ffff:198.51.100.7", undefined, none)).toBe("198.51.100.7");
});

test("with N trusted hops the N-th entry from the right is the client; entries further left are ignored", () => {
  const lb = "10.0.0.5";
  expect(resolveClientAddress(lb, "203.0.113.1", { hops: 1, cidrs: [] })).toBe("203.0.113.1");
  // The client forged an entry; the load balancer appended the address it saw.
  expect(resolveClientAddress(lb, "1.1.1.1, 203.0.113.1", { hops: 1, cidrs: [] })).toBe("203.0.113.1");
  expect(resolveClientAddress(lb, "1.1.1.1, 203.0.113.1, 10.0.0.9", { hops: 2, cidrs: [] })).toBe("203.0.113.1");
  // Too short, absent or garbage: the socket peer (a client that came round the proxies counts as itself).
  expect(resolveClientAddress(lb, "203.0.113.1", { hops: 2, cidrs: [] })).toBe(lb);
  expect(resolveClientAddress(lb, undefined, { hops: 1, cidrs: [] })).toBe(lb);
  expect(resolveClientAddress(lb, "not-an-address", { hops: 1, cidrs: [] })).toBe(lb);
});

test("with trusted CIDRs the right-most entry outside them is the client, and only from a trusted peer", () => {
  const trust = { hops: 0, cidrs: ["10.0.0.0/8", "2001:db8:ffff::/48"] };
  expect(resolveClientAddress("10.1.2.3", "1.1.1.1, 203.0.113.1, 10.0.0.9", trust)).toBe("203.0.113.1");
  expect(resolveClientAddress("2001:db8:ffff::1", "2001:db8:1::5", trust)).toBe("2001:db8:1::5");
  expect(resolveClientAddress("198.51.100.7", "203.0.113.1", trust)).toBe("198.51.100.7");
  expect(resolveClientAddress("10.1.2.3", "10.0.0.9", trust)).toBe("10.1.2.3");
});

test("IPv6 clients are counted per /64; IPv4 and IPv4-mapped addresses as they are", () => {
  expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
  expect(clientKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
  expect(clientKey("2001:0db8:0001:0002::")).toBe("2001:db8:1:2::/64");
  expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
  expect(clientKey("::1")).toBe("0:0:0:0::/64");
  expect(clientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
  expect(clientKey("192.0.2.1")).toBe("192.0.2.1");
  expect(clientKey("unknown")).toBe("unknown");
  expect(plainAddress(" ::ffff:10.0.0.1 ")).toBe("10.0.0.1");
});

test("CIDRs are checked", () => {
  expect(["10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "::1"].every(isCidr)).toBe(true);
  expect(["10.0.0.0/33", "2001:db8::/129", "example.com/8", ""].some(isCidr)).toBe(false);
});
