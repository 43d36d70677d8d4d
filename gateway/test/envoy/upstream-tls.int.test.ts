// Envoy's side of mutual TLS: it talks to a service only if the service's certificate chains to the
// platform CA, is valid now, and carries exactly that service's SAN. Here the auth stub serves each wrong
// certificate in turn (gateway/certs/make-certs.sh makes them); the gateway must answer 503 without the
// request ever reaching the stub, and report not ready. The right certificate is the control.
import { jest } from "@jest/globals";
import { startEnvoy, waitHealthy } from "./harness.ts";
import { startStubs } from "./stubs.ts";

jest.setTimeout(120_000);

async function statsOf(adminUrl: string, prefix: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${adminUrl}/stats?filter=${encodeURIComponent(prefix)}`)).text();
  return Object.fromEntries(
    text
      .split("\n")
      .map((line) => line.split(": "))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k, Number(v)]),
  );
}

test("the right certificate is accepted (control)", async () => {
  const stubs = await startStubs();
  const envoy = await startEnvoy({ services: stubs.ports() });
  try {
    await waitHealthy(envoy);
    const res = await fetch(`${envoy.url}/api/auth/login/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(stubs.byOwner.auth.calls).toHaveLength(1);
  } finally {
    await envoy.stop();
    await stubs.close();
  }
});

test.each([
  ["foreign", "a certificate from another CA, with the right names", "ssl.fail_verify_error"],
  ["intruder", "the platform CA, but another SAN", "ssl.fail_verify_san"],
  ["expired", "the platform CA and the right names, but expired", "ssl.fail_verify_error"],
])("a service presenting %s (%s) is refused", async (cert, _why, stat) => {
  const stubs = await startStubs((owner) => (owner === "auth" ? cert : owner));
  const envoy = await startEnvoy({ services: stubs.ports() });
  try {
    const res = await fetch(`${envoy.url}/api/auth/login/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(503);
    await res.text();
    expect(stubs.byOwner.auth.calls).toHaveLength(0);
    expect((await statsOf(envoy.adminUrl, "cluster.auth.ssl"))[`cluster.auth.${stat}`]).toBeGreaterThan(0);
    expect((await fetch(`${envoy.url}/readyz`)).status).toBe(503);
    // The other services are unaffected.
    const bearer = { authorization: `Bearer ${stubs.signer.token()}` };
    expect((await fetch(`${envoy.url}/api/profiles/me/`, { headers: bearer })).status).not.toBe(503);
  } finally {
    await envoy.stop();
    await stubs.close();
  }
});
