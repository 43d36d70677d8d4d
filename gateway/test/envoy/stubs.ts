// One stub service per owner of the edge plan (auth, profile, friendship) with the platform certificates, and a signer whose JWKS
// the auth stub serves: what the gateway's own integration tests put behind Envoy.

import { join } from "node:path";
import { type Owner, owners } from "../../src/edge-plan.ts";
import { type EnvoyHarnessOptions, ensureCerts, type RunningEnvoy, repoRoot, startEnvoy, waitHealthy } from "./harness.ts";
import { type TestSigner, testSigner } from "./jwt.ts";
import { type StubService, startStubService } from "./stub-service.ts";

export const certsDir = process.env.CERTS_DIR ?? join(repoRoot, ".data/certs");

export interface Stubs {
  signer: TestSigner;
  byOwner: Record<Owner, StubService>;
  ports(): Record<Owner, number[]>;
  close(): Promise<void>;
}

/** `certOf` picks the certificate each stub serves (the refusal tests give one a wrong one). */
export async function startStubs(certOf: (owner: Owner) => string = (owner) => owner): Promise<Stubs> {
  ensureCerts(certsDir);
  const signer = testSigner();
  const started = await Promise.all(
    owners.map((owner) =>
      startStubService({ owner, certBase: join(certsDir, certOf(owner)), ca: join(certsDir, "ca.crt"), jwks: signer.jwks }),
    ),
  );
  const byOwner = Object.fromEntries(owners.map((o, i) => [o, started[i]])) as Record<Owner, StubService>;
  return {
    signer,
    byOwner,
    ports: () => Object.fromEntries(owners.map((o) => [o, [byOwner[o].port]])) as Record<Owner, number[]>,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}

export interface EnvoyOnStubs {
  stubs: Stubs;
  envoy: RunningEnvoy;
  /** An `authorization` header with a token the stubs' JWKS verifies. */
  bearer: Record<string, string>;
  stop(): Promise<void>;
}

/** The fixture most Envoy suites start from: stub services, the rendered Envoy in front of them, healthy. */
export async function startEnvoyOnStubs(options: Omit<EnvoyHarnessOptions, "services"> = {}): Promise<EnvoyOnStubs> {
  const stubs = await startStubs();
  const envoy = await startEnvoy({ ...options, services: stubs.ports() });
  await waitHealthy(envoy);
  return {
    stubs,
    envoy,
    bearer: { authorization: `Bearer ${stubs.signer.token()}` },
    stop: async () => {
      await envoy.stop();
      await stubs.close();
    },
  };
}
