// The client address behind a load balancer, in the real Envoy: a fake load balancer in front appends the
// address it "saw" to X-Forwarded-For (one per simulated client), and Envoy, told to trust that one hop
// (TRUSTED_PROXY_HOPS=1) or that proxy's address (TRUSTED_PROXY_CIDRS), counts the two clients apart, ignores
// what a client wrote into the header itself, and tells the service exactly one address: the client's.
import { jest } from "@jest/globals";
import type { GatewayOptions } from "../../src/envoy/options.ts";
import { fakeLoadBalancer } from "../support/fake-load-balancer.ts";
import { type RunningEnvoy, startEnvoy, waitHealthy } from "./harness.ts";
import { type Stubs, startStubs } from "./stubs.ts";

jest.setTimeout(120_000);

const LIMIT = 3;
let stubs: Stubs;
beforeAll(async () => {
  stubs = await startStubs();
});
afterAll(() => stubs?.close());

async function withGateway(trustedProxies: GatewayOptions["trustedProxies"], body: (lb: string, envoy: RunningEnvoy) => Promise<void>) {
  const rate = { requests: LIMIT, periodSeconds: 60 };
  const envoy = await startEnvoy({ services: stubs.ports(), overrides: { trustedProxies, rateLimits: { auth: rate, default: rate } } });
  const lb = await fakeLoadBalancer(envoy.url);
  try {
    await waitHealthy(envoy);
    await body(lb.url, envoy);
  } finally {
    await lb.close();
    await envoy.stop();
  }
}

const login = (base: string, client: string, forged?: string) =>
  fetch(`${base}/api/auth/login/`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-client": client, ...(forged ? { "x-forwarded-for": forged } : {}) },
    body: JSON.stringify({ username: "ada", password: "x" }),
  });

const statuses = async (n: number, send: () => Promise<Response>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
};

async function expectCountedApart(lb: string) {
  // Client A, each time claiming to be someone else: the claim is ignored, A's budget runs out.
  const a = await statuses(LIMIT + 1, () => login(lb, "203.0.113.1", `198.51.100.${Math.floor(Math.random() * 250)}`));
  expect(a).toEqual([...Array(LIMIT).fill(200), 429]);
  expect(stubs.byOwner.auth.calls.at(-1)?.forwardedFor).toBe("203.0.113.1");
  // Client B behind the same load balancer still has its own.
  expect((await login(lb, "203.0.113.2")).status).toBe(200);
  expect(stubs.byOwner.auth.calls.at(-1)?.forwardedFor).toBe("203.0.113.2");
}

test("TRUSTED_PROXY_HOPS=1: two clients behind a load balancer are counted apart, and a forged entry changes nothing", async () => {
  await withGateway({ hops: 1, cidrs: [] }, expectCountedApart);
});

test("TRUSTED_PROXY_CIDRS: the load balancer's address is trusted, the right-most other entry is the client", async () => {
  await withGateway({ hops: 0, cidrs: ["127.0.0.0/8"] }, expectCountedApart);
});

test("with no trusted proxy (the default) the load balancer is the client, and X-Forwarded-For from outside is dropped", async () => {
  await withGateway({ hops: 0, cidrs: [] }, async (lb, envoy) => {
    expect(await statuses(LIMIT + 1, () => login(lb, "203.0.113.1"))).toEqual([...Array(LIMIT).fill(200), 429]);
    expect((await login(lb, "203.0.113.2")).status).toBe(429);
    const direct = await login(envoy.url, "ignored", "203.0.113.9");
    expect(direct.status).toBe(429);
    expect(stubs.byOwner.auth.calls.at(-1)?.forwardedFor).toBe("127.0.0.1");
  });
});
