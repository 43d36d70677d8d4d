// The security log of the auth service: refresh-token reuse writes its line (user, client, request id) and
// every security event is counted in /metrics. Failed logins and lockouts: login-throttle-races.int.test.ts.
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { type CapturedLog, createCapturedLog } from "@identity/shared/testing/captured-log.ts";
import { type AuthHarness, failure, registerUser, startAuth } from "./support.ts";

let harness: AuthHarness;
let log: CapturedLog;
beforeAll(async () => {
  log = createCapturedLog("auth");
  harness = await startAuth({ TRUSTED_PROXY_HOPS: "1" }, log.logger);
});
afterAll(() => harness?.close());

test("presenting a spent refresh token writes refresh_token_reused once, and /metrics counts it", async () => {
  const { user, refresh } = await registerUser(harness);
  const auth = harness.client(AuthService);
  await auth.refreshToken({ refresh });
  const replay = () =>
    failure(auth.refreshToken({ refresh }, { headers: { "x-forwarded-for": "192.0.2.77", "x-request-id": "replay-1" } }));
  expect(await replay()).toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(log.securityLines("refresh_token_reused")).toEqual([
    expect.objectContaining({
      log: "security",
      event: "refresh_token_reused",
      user_id: user!.id,
      client: "192.0.2.77",
      request_id: "replay-1",
    }),
  ]);
  expect(log.raw()).not.toContain(refresh);

  const metrics = await (await fetch(`${harness.opsUrl}/metrics`)).text();
  expect(metrics).toMatch(/security_events_total\{event="refresh_token_reused",service="auth"\} 1/);
});

test("a failed login is counted in /metrics as login_failed", async () => {
  const { username } = await registerUser(harness);
  await failure(harness.client(AuthService).login({ username, password: "not the password" }));
  const metrics = await (await fetch(`${harness.opsUrl}/metrics`)).text();
  expect(metrics).toMatch(/security_events_total\{event="login_failed",service="auth"\} [1-9]/);
});
