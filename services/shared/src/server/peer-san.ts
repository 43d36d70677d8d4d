// Mutual TLS checks the chain (the platform CA) in the TLS handshake; the peer's identity is its exact
// subject alternative name, checked here against an allow-list.
import type { PeerCertificate } from "node:tls";

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
