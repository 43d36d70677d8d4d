// Idempotency-Key through a gateway (the embedded one, or Envoy at GATEWAY_URL): the header reaches the
// service, a retried registration answers the first result (201, same user, `idempotent-replayed: true`),
// and the key reused with another body is 409 IDEMPOTENCY_KEY_REUSED. Browsers may send the header (CORS).
import { jest } from "@jest/globals";
import { type GatewayUnderTest, startGatewayUnderTest } from "./gateway-under-test.ts";
import { PASSWORD, type RestClient, restClient, uniqueName } from "./rest-client.ts";

jest.setTimeout(60_000);

let gateway: GatewayUnderTest;
let api: RestClient;
beforeAll(async () => {
  gateway = await startGatewayUnderTest();
  api = restClient(gateway.url);
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
});

const registration = (username: string) => ({ username, email: `${username}@example.com`, password: PASSWORD });

test("a registration retried with its Idempotency-Key answers the first result; another body with the key is 409", async () => {
  const username = uniqueName("idem");
  const headers = { "Idempotency-Key": crypto.randomUUID() };
  const first = await api.post("/api/auth/register/", registration(username), { headers });
  const again = await api.post("/api/auth/register/", registration(username), { headers });
  expect([first.status, again.status]).toEqual([201, 201]);
  expect(again.body.user.id).toBe(first.body.user.id);
  expect([first.headers.get("idempotent-replayed"), again.headers.get("idempotent-replayed")]).toEqual([null, "true"]);

  const other = await api.post("/api/auth/register/", registration(uniqueName("idemother")), { headers });
  expect([other.status, other.body.code]).toEqual([409, 10]);
  expect(other.body.details.find((d: { reason?: string }) => d.reason)?.reason).toBe("IDEMPOTENCY_KEY_REUSED");
});

test("a browser may send Idempotency-Key cross-origin (CORS preflight allows it)", async () => {
  const preflight = await api.call("OPTIONS", "/api/auth/register/", {
    headers: {
      origin: "http://localhost:3000",
      "access-control-request-method": "POST",
      "access-control-request-headers": "idempotency-key",
    },
  });
  expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
});
