import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { UserEmailVerifiedSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { type AuthHarness, dbExecute, failure, latestCode, mailOutboxDrained, registerUser, startAuth, uniqueName } from "./support.ts";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuth();
});
afterAll(() => harness?.close());

const auth = () => harness.client(AuthService);
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
/** Lets the next resend through the 60 s per-address limit without waiting. */
const ageLastSend = (userId: string) =>
  dbExecute(harness, "update email_verification_code set sent_at = sent_at - interval '61 seconds' where user_id = ? returning user_id", [
    userId,
  ]);

test("the right code verifies the address: 200 {user} with email_verified, and user.email_verified is in the outbox", async () => {
  const { user, email } = await registerUser(harness);
  const res = await auth().verifyEmail({ email, code: await latestCode(harness, email) });
  expect(res.user).toMatchObject({ id: user!.id, email, emailVerified: true });
  const rows = await dbExecute(harness, "select payload from outbox_event where key = ? and type = 'user.email_verified'", [user!.id]);
  expect(rows).toHaveLength(1);
  expect(fromBinary(UserEmailVerifiedSchema, rows[0]!.payload as Uint8Array).userId).toBe(user!.id);
  // A used code is gone.
  expect(await failure(auth().verifyEmail({ email, code: await latestCode(harness, email) }))).toMatchObject({ reason: "OTP_INVALID" });
});

test("the address is matched case-insensitively", async () => {
  const { email } = await registerUser(harness);
  const res = await auth().verifyEmail({ email: email.toUpperCase(), code: await latestCode(harness, email) });
  expect(res.user?.emailVerified).toBe(true);
});

test("a wrong code is 400 OTP_INVALID", async () => {
  const { email } = await registerUser(harness);
  const err = await failure(auth().verifyEmail({ email, code: wrongCode(await latestCode(harness, email)) }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "OTP_INVALID" });
});

test("a code for an unknown address is 400 OTP_INVALID", async () => {
  const err = await failure(auth().verifyEmail({ email: `${uniqueName("nobody")}@example.com`, code: "123456" }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "OTP_INVALID" });
});

test("a code is bound to its address: another account's code does not verify this one", async () => {
  const a = await registerUser(harness);
  const b = await registerUser(harness);
  const codeOfA = await latestCode(harness, a.email);
  expect(await failure(auth().verifyEmail({ email: b.email, code: codeOfA }))).toMatchObject({ reason: "OTP_INVALID" });
});

test("an expired code (10 minutes) is 400 OTP_EXPIRED, even when right", async () => {
  const { user, email } = await registerUser(harness);
  const code = await latestCode(harness, email);
  const [row] = await dbExecute(
    harness,
    "select extract(epoch from expires_at - sent_at)::int as ttl from email_verification_code where user_id = ?",
    [user!.id],
  );
  expect(row!.ttl).toBe(600);
  await dbExecute(
    harness,
    "update email_verification_code set expires_at = now() - interval '1 second' where user_id = ? returning user_id",
    [user!.id],
  );
  const err = await failure(auth().verifyEmail({ email, code }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "OTP_EXPIRED" });
});

test("50 parallel wrong guesses: exactly 5 are counted (OTP_INVALID), the rest are 429 OTP_ATTEMPTS_EXCEEDED, and the right code is refused after", async () => {
  const { user, email } = await registerUser(harness);
  const code = await latestCode(harness, email);
  const guesses = Array.from({ length: 50 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
  const errors = await Promise.all(guesses.map((guess) => failure(auth().verifyEmail({ email, code: guess }))));
  const reasons = errors.map((e) => e.reason);
  expect(reasons.filter((r) => r === "OTP_INVALID")).toHaveLength(5);
  expect(reasons.filter((r) => r === "OTP_ATTEMPTS_EXCEEDED")).toHaveLength(45);
  const exceeded = errors.find((e) => e.reason === "OTP_ATTEMPTS_EXCEEDED")!;
  expect(exceeded.code).toBe(Code.ResourceExhausted);
  expect(Number(exceeded.metadata.get("retry-after"))).toBeGreaterThan(0);
  const [row] = await dbExecute(harness, "select attempts from email_verification_code where user_id = ?", [user!.id]);
  expect(row!.attempts).toBe(5);
  expect(await failure(auth().verifyEmail({ email, code }))).toMatchObject({
    code: Code.ResourceExhausted,
    reason: "OTP_ATTEMPTS_EXCEEDED",
  });

  // Until a new code is sent: then the new code works.
  await ageLastSend(user!.id);
  await auth().resendVerificationCode({ email });
  const fresh = await latestCode(harness, email, 2);
  const res = await auth().verifyEmail({ email, code: fresh });
  expect(res.user?.emailVerified).toBe(true);
});

test("resend answers 202 and kills the old code", async () => {
  const { user, email } = await registerUser(harness);
  const old = await latestCode(harness, email);
  await ageLastSend(user!.id);
  let status: string | null = null;
  await auth().resendVerificationCode({ email }, { onHeader: (h) => (status = h.get("x-http-status")) });
  expect(status).toBe("202");
  const fresh = await latestCode(harness, email, 2);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(2);
  if (fresh !== old) expect(await failure(auth().verifyEmail({ email, code: old }))).toMatchObject({ reason: "OTP_INVALID" });
  expect((await auth().verifyEmail({ email, code: fresh })).user?.emailVerified).toBe(true);
});

test("a resend within 60 s of the last code is dropped silently (202, no mail, the code stays)", async () => {
  const { email } = await registerUser(harness);
  const code = await latestCode(harness, email);
  await auth().resendVerificationCode({ email });
  await mailOutboxDrained(harness);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(1);
  expect((await auth().verifyEmail({ email, code })).user?.emailVerified).toBe(true);
});

test("resend answers 202 the same for an unknown address, and mails nothing", async () => {
  const email = `${uniqueName("ghost")}@example.com`;
  let status: string | null = null;
  const res = await auth().resendVerificationCode({ email }, { onHeader: (h) => (status = h.get("x-http-status")) });
  expect(status).toBe("202");
  expect(res).toBeDefined();
  await mailOutboxDrained(harness);
  expect((await harness.client(DevMailService).listMail({ to: email })).messages).toHaveLength(0);
});

test("a malformed address is 400 on resend and verify", async () => {
  expect(await failure(auth().resendVerificationCode({ email: "nope" }))).toMatchObject({ code: Code.InvalidArgument, fields: ["email"] });
  expect(await failure(auth().verifyEmail({ email: "nope", code: "12345" }))).toMatchObject({ code: Code.InvalidArgument });
});

test("the development mailbox lists an address's mails newest first", async () => {
  const { user, email } = await registerUser(harness);
  await latestCode(harness, email);
  await ageLastSend(user!.id);
  await auth().resendVerificationCode({ email });
  await latestCode(harness, email, 2);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(2);
  expect(messages[0]!.sentAt!.seconds >= messages[1]!.sentAt!.seconds).toBe(true);
  expect(messages[0]).toMatchObject({ to: email, subject: "Your verification code" });
  const newest = /\d{6}/.exec(messages[0]!.text)![0];
  expect((await auth().verifyEmail({ email, code: newest })).user?.emailVerified).toBe(true);
});
