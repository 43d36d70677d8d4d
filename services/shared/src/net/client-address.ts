// Which address a request comes from, for throttles and logs. Written once for the embedded gateway (which
// resolves it from X-Forwarded-For like Envoy does) and the services (which count it).
import { BlockList, isIP } from "node:net";

/**
 * The subject alternative names of the gateway's client certificate (gateway/certs, `sanOf("envoy")`): the
 * only mTLS peer whose `x-forwarded-for` a service believes.
 */
export const GATEWAY_PEER_SANS: readonly string[] = ["envoy.identity.internal"];

/** Which X-Forwarded-For entries to believe: `TRUSTED_PROXY_HOPS` or `TRUSTED_PROXY_CIDRS`, never both. */
export interface ProxyTrust {
  /** Proxies in front of the gateway that append to X-Forwarded-For (0: the socket peer is the client). */
  hops: number;
  /** Addresses of trusted proxies (CIDR); the client is the right-most X-Forwarded-For entry outside them. */
  cidrs: readonly string[];
}

/** `::ffff:192.0.2.1` (IPv4 on a dual-stack socket) is 192.0.2.1; anything else is kept as written. */
export function plainAddress(address: string): string {
  const trimmed = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice("::ffff:".length) : trimmed;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.split("%")[0] ?? "";
  // An embedded IPv4 tail (::ffff:1.2.3.4 or 64:ff9b::1.2.3.4) is two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The key a client is counted under: an IPv4 address as is, an IPv6 address by its /64 (one household or
 * one server gets a /64, and can use any of its 2^64 addresses: counting them one by one counts nothing).
 */
export function clientKey(address: string): string {
  const plain = plainAddress(address);
  const groups = ipv6Groups(plain);
  if (!groups) return plain.slice(0, 64);
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", bits] = cidr.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    list.addSubnet(address, bits === undefined ? (type === "ipv6" ? 128 : 32) : Number(bits), type);
  }
  return list;
}

/** Whether `cidr` is an IPv4 or IPv6 address with an optional prefix length in range. */
export function isCidr(cidr: string): boolean {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(cidr.trim());
  const version = m ? isIP(m[1] ?? "") : 0;
  if (!m || version === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (version === 6 ? 128 : 32);
}

/**
 * The client address as Envoy's X-Forwarded-For handling resolves it (xff_num_trusted_hops, or the XFF
 * original-IP detection with trusted CIDRs), so both gateways count the same client:
 * - no trust: the socket peer;
 * - N hops: the N-th entry from the right of X-Forwarded-For (the one the outermost trusted proxy wrote),
 *   or the socket peer when the header is shorter (a client that came round the proxies);
 * - CIDRs: only when the socket peer is a trusted proxy, the right-most entry that is not one.
 * Entries further left are the client's own claim and never believed.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, trust: ProxyTrust): string {
  const socket = plainAddress(peer);
  if (trust.hops === 0 && trust.cidrs.length === 0) return socket;
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((e) => plainAddress(e))
    .filter((e) => e !== "");
  if (trust.hops > 0) {
    const entry = entries[entries.length - trust.hops];
    return entry !== undefined && isIP(entry) ? entry : socket;
  }
  const proxies = blockListOf(trust.cidrs);
  const trusted = (address: string) => isIP(address) !== 0 && proxies.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
  if (!trusted(socket)) return socket;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as string;
    if (!isIP(entry)) return socket;
    if (!trusted(entry)) return entry;
  }
  return socket;
}
