// Mail after the answer: register and resend only queue their mail (in their transaction); the mail relay
// composes and sends it afterwards. With the relay stopped, the answers still come and nothing is mailed;
// started again, it sends what waited.
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { dbExecute, latestCode, mailOutboxDrained, mailsTo, registerUser, uniqueName, useAuth } from "./support.ts";

const harness = useAuth({ OTP_RESEND_INTERVAL: "0s" });

test("register and resend answer without sending; the queued mails go out when the relay runs", async () => {
  await mailOutboxDrained(harness);
  await harness.module.mailRelay.stop();
  try {
    const { email } = await registerUser(harness);
    await harness.client(AuthService).resendVerificationCode({ email });
    const ghost = `${uniqueName("ghost")}@example.com`;
    await harness.client(AuthService).resendVerificationCode({ email: ghost });
    // Known or not, each answer queued exactly one row and mailed nothing.
    const queued = await dbExecute(harness, "select recipient, kind, data from mail_outbox order by created_at");
    expect(queued.map((r) => [r.recipient, r.kind])).toEqual([
      [email, "verification_code"],
      [email, "verification_code"],
      [ghost, "verification_code"],
    ]);
    expect(JSON.stringify(queued)).not.toMatch(/\d{6}/);
    expect(await mailsTo(harness, email)).toHaveLength(0);
    const codes = await dbExecute(
      harness,
      "select 1 from email_verification_code c join app_user u on u.id = c.user_id where u.email = ?",
      [email],
    );
    expect(codes).toHaveLength(0);
  } finally {
    harness.module.mailRelay.start();
  }
  await mailOutboxDrained(harness);
  const { email } = (await dbExecute(harness, "select email from app_user order by date_joined desc limit 1"))[0] as { email: string };
  expect(await latestCode(harness, email, 2)).toMatch(/^\d{6}$/);
});
