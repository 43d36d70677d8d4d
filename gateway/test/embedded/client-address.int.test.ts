// The client address behind a load balancer, in the embedded gateway (Envoy's twin is
// gateway/test/envoy/client-address.int.test.ts): with TRUSTED_PROXY_HOPS=1 two clients behind a fake load
// balancer are counted apart by the gateway's rate limit AND by the auth service's own throttle (the
// gateway tells the service the client it resolved), a forged X-Forwarded-For entry changes nothing, and an
// IPv6 client is counted by its /64.
import { jest } from "@jest/globals";
import { fakeLoadBalancer } from "../support/fake-load-balancer.ts";
import { type EmbeddedPlatform, startTestPlatform } from "../support/test-platform.ts";

jest.setTimeout(120_000);

const REGISTRATIONS = 2;
let platform: EmbeddedPlatform;
let lb: Awaited<ReturnType<typeof fakeLoadBalancer>>;

beforeAll(async () => {
  platform = await startTestPlatform({
    TRUSTED_PROXY_HOPS: "1",
    REGISTRATIONS_PER_CLIENT_LIMIT: String(REGISTRATIONS),
  });
  lb = await fakeLoadBalancer(platform.url);
}, 120_000);

afterAll(async () => {
  await lb?.close();
  await platform?.stop();
});

let n = 0;
function register(client: string, forged?: string): Promise<Response> {
  n += 1;
  const username = `lb${Date.now().toString(36)}${n}`;
  return fetch(`${lb.url}/api/auth/register/`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-client": client, ...(forged ? { "x-forwarded-for": forged } : {}) },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: "a quiet lighthouse 7 sings" }),
  });
}

async function statuses(client: string, count: number, forge = false): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await register(client, forge ? `198.51.100.${i + 1}` : undefined)).status);
  return out;
}

test("two clients behind one load balancer have a registration budget each; forged entries are ignored", async () => {
  expect(await statuses("203.0.113.1", REGISTRATIONS + 1, true)).toEqual([201, 201, 429]);
  expect(await statuses("203.0.113.2", 1)).toEqual([201]);
});

test("IPv6 clients are counted per /64", async () => {
  expect(await statuses("2001:db8:1:2::1", 1)).toEqual([201]);
  expect(await statuses("2001:db8:1:2:ffff::99", 2)).toEqual([201, 429]);
  expect(await statuses("2001:db8:1:3::1", 1)).toEqual([201]);
});
