// Mutual TLS checks the chain (the platform CA) in the TLS handshake; the peer's identity is its exact
// subject alternative name, checked here against an allow-list.
import type { PeerCertificate, TLSSocket } from "node:tls";

export function sansOf(cert: PeerCertificate | undefined): string[] {
  const raw = cert?.subjectaltname ?? "";
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("DNS:") || s.startsWith("URI:"))
    .map((s) => s.slice(s.indexOf(":") + 1));
}

export function peerAllowed(cert: PeerCertificate | undefined, allowed: readonly string[]): boolean {
  return sansOf(cert).some((san) => allowed.includes(san));
}

// getPeerCertificate() builds a fresh object from the certificate on every call (it showed as 3 % of a
// service's CPU when called per request). A connection's certificate never changes: read it once per
// connection (the HTTP/2 session, or the HTTP/1.1 socket) and keep the SANs as long as the connection lives.
const sansByConnection = new WeakMap<object, readonly string[]>();

export function connectionPeerSans(connection: object, socket: Pick<TLSSocket, "getPeerCertificate">): readonly string[] {
  let sans = sansByConnection.get(connection);
  if (!sans) {
    sans = Object.freeze(sansOf(socket.getPeerCertificate()));
    sansByConnection.set(connection, sans);
  }
  return sans;
}
