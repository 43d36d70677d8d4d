import { Registry } from "prom-client";
import { createCapturedLog } from "../testing/captured-log.ts";
import { createSecurityLog, securityEvents } from "./security-log.ts";

test("an event writes one JSON line with the fixed fields and counts in the registry", async () => {
  const captured = createCapturedLog("auth");
  const registry = new Registry();
  const log = createSecurityLog(captured.logger, registry);
  log.record(securityEvents.loginFailed, { userId: "u-1", client: "203.0.113.7", requestId: "req-1" });
  log.record(securityEvents.loginFailed, { client: "203.0.113.7" });
  log.record(securityEvents.refreshTokenReused, { userId: "u-2" });

  const lines = captured.securityLines();
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({
    log: "security",
    event: "login_failed",
    user_id: "u-1",
    client: "203.0.113.7",
    request_id: "req-1",
    service: "auth",
  });
  expect(lines[1]).toMatchObject({ event: "login_failed", user_id: null, request_id: null });
  const metrics = await registry.getSingleMetricAsString("security_events_total");
  expect(metrics).toContain('security_events_total{event="login_failed"} 2');
  expect(metrics).toContain('security_events_total{event="refresh_token_reused"} 1');
});

test("two logs on one registry share the counter", async () => {
  const registry = new Registry();
  createSecurityLog(createCapturedLog().logger, registry).record(securityEvents.accountDeleted, {});
  createSecurityLog(createCapturedLog().logger, registry).record(securityEvents.accountDeleted, {});
  expect(await registry.getSingleMetricAsString("security_events_total")).toContain('{event="account_deleted"} 2');
});
