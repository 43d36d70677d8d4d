import type { PeerCertificate } from "node:tls";
import { connectionPeerSans, peerAllowed, sansOf } from "./peer-san.ts";

const cert = (subjectaltname: string) => ({ subjectaltname }) as PeerCertificate;

test("the SANs are the DNS and URI entries of the certificate", () => {
  expect(sansOf(cert("DNS:envoy.identity.internal, IP Address:127.0.0.1, URI:spiffe://x"))).toEqual([
    "envoy.identity.internal",
    "spiffe://x",
  ]);
  expect(sansOf(undefined)).toEqual([]);
  expect(peerAllowed(cert("DNS:cms.identity.internal"), ["envoy.identity.internal"])).toBe(false);
});

test("a connection's certificate is read once, whatever the number of requests on it", () => {
  let reads = 0;
  const socket = {
    getPeerCertificate: () => {
      reads += 1;
      return cert("DNS:envoy.identity.internal");
    },
  } as never;
  const [first, second] = [{}, {}];
  expect(connectionPeerSans(first, socket)).toEqual(["envoy.identity.internal"]);
  expect(connectionPeerSans(first, socket)).toEqual(["envoy.identity.internal"]);
  expect(reads).toBe(1);
  connectionPeerSans(second, socket);
  expect(reads).toBe(2);
});
