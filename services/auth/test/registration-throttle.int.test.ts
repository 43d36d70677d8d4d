import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { dbExecute, failure, mailOutboxDrained, STRONG_PASSWORD, startAuth, uniqueName, useAuth } from "./support.ts";

const harness = useAuth({
  TRUSTED_PROXY_HOPS: "1",
  REGISTRATIONS_PER_CLIENT_LIMIT: "2",
  OTP_SENDS_PER_CLIENT_LIMIT: "2",
  OTP_RESEND_INTERVAL: "0s",
});

const register = (client: string) => {
  const username = uniqueName("thr");
  return harness
    .client(AuthService)
    .register({ username, email: `${username}@example.com`, password: STRONG_PASSWORD }, { headers: { "x-forwarded-for": client } });
};

test("registrations are limited per client address: 429 RATE_LIMITED with a retry hint", async () => {
  await register("192.0.2.10");
  await register("192.0.2.10");
  const err = await failure(register("192.0.2.10"));
  expect(err).toMatchObject({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
  expect(Number(err.metadata.get("retry-after"))).toBeGreaterThan(0);
  await expect(register("192.0.2.11")).resolves.toHaveProperty("access");
});

test("the throttle's state is in PostgreSQL, shared by every replica", async () => {
  const rows = await dbExecute(harness, "select count from rate_limit_bucket where key = 'register:client:192.0.2.10'");
  expect(rows[0]!.count).toBe(3);
});

test("code sends beyond the client's allowance are dropped silently (still 202)", async () => {
  const username = uniqueName("otp");
  const email = `${username}@example.com`;
  await harness
    .client(AuthService)
    .register({ username, email, password: STRONG_PASSWORD }, { headers: { "x-forwarded-for": "192.0.2.20" } });
  const resend = () => harness.client(AuthService).resendVerificationCode({ email }, { headers: { "x-forwarded-for": "192.0.2.21" } });
  await resend();
  await resend();
  await resend();
  await mailOutboxDrained(harness);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(3); // registration + 2 allowed resends
});

test("without a trusted proxy the socket peer is the client, and a forged x-forwarded-for changes nothing", async () => {
  const direct = await startAuth({ TRUSTED_PROXY_HOPS: "0", REGISTRATIONS_PER_CLIENT_LIMIT: "50" });
  try {
    await direct
      .client(AuthService)
      .register(
        { username: uniqueName("peer"), email: `${uniqueName("peer")}@example.com`, password: STRONG_PASSWORD },
        { headers: { "x-forwarded-for": "203.0.113.99" } },
      );
    const rows = await dbExecute(direct, "select key from rate_limit_bucket where key like 'register:client:%'");
    expect(rows.map((r) => r.key)).toEqual(["register:client:127.0.0.1"]);
  } finally {
    await direct.close();
  }
});
