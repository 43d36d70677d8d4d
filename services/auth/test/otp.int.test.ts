import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { UserEmailVerifiedSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { dbExecute, failure, latestCode, mailOutboxDrained, registerUser, uniqueName, useAuth } from "./support.ts";

const harness = useAuth();

const auth = () => harness.client(AuthService);
/** Verify needs the caller's access token. */
const as = (access: string) => harness.client(AuthService, access);
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
/** Lets the next resend through the 60 s per-address limit without waiting. */
const ageLastSend = (userId: string) =>
  dbExecute(harness, "update email_verification_code set sent_at = sent_at - interval '61 seconds' where user_id = ? returning user_id", [
    userId,
  ]);

test("the right code verifies the address: 200 {user} with email_verified, and user.email_verified is in the outbox", async () => {
  const { user, email, access } = await registerUser(harness);
  const res = await as(access).verifyEmail({ email, code: await latestCode(harness, email) });
  expect(res.user).toMatchObject({ id: user!.id, email, emailVerified: true });
  const rows = await dbExecute(harness, "select payload from outbox_event where key = ? and type = 'user.email_verified'", [user!.id]);
  expect(rows).toHaveLength(1);
  expect(fromBinary(UserEmailVerifiedSchema, rows[0]!.payload as Uint8Array).userId).toBe(user!.id);
  // A used code is gone.
  expect(await failure(as(access).verifyEmail({ email, code: await latestCode(harness, email) }))).toMatchObject({ reason: "OTP_INVALID" });
});

test("the address is matched case-insensitively", async () => {
  const { email, access } = await registerUser(harness);
  const res = await as(access).verifyEmail({ email: email.toUpperCase(), code: await latestCode(harness, email) });
  expect(res.user?.emailVerified).toBe(true);
});

test("a wrong code is 400 OTP_INVALID", async () => {
  const { email, access } = await registerUser(harness);
  const err = await failure(as(access).verifyEmail({ email, code: wrongCode(await latestCode(harness, email)) }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "OTP_INVALID" });
});

test("another address than the caller's is 400 EMAIL_NOT_CALLERS and counts no try", async () => {
  const { user, email, access } = await registerUser(harness);
  const err = await failure(as(access).verifyEmail({ email: `${uniqueName("nobody")}@example.com`, code: "123456" }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "EMAIL_NOT_CALLERS", fields: ["email"] });
  await latestCode(harness, email);
  const [row] = await dbExecute(harness, "select attempts from email_verification_code where user_id = ?", [user!.id]);
  expect(row!.attempts).toBe(0);
});

test("email may be left out: the caller's own code verifies the caller", async () => {
  const { email, access } = await registerUser(harness);
  const res = await as(access).verifyEmail({ code: await latestCode(harness, email) });
  expect(res.user).toMatchObject({ email, emailVerified: true });
});

test("without an access token verify is 401 and touches nobody's code", async () => {
  const { user, email, access } = await registerUser(harness);
  const code = await latestCode(harness, email);
  for (let i = 0; i < 6; i++) {
    expect(await failure(auth().verifyEmail({ email, code: wrongCode(code) }))).toMatchObject({ code: Code.Unauthenticated });
  }
  const [row] = await dbExecute(harness, "select attempts from email_verification_code where user_id = ?", [user!.id]);
  expect(row!.attempts).toBe(0);
  // Another account's token cannot spend this account's tries either: its own code is looked at.
  const other = await registerUser(harness);
  expect(await failure(as(other.access).verifyEmail({ email, code: wrongCode(code) }))).toMatchObject({ reason: "EMAIL_NOT_CALLERS" });
  expect((await as(access).verifyEmail({ email, code })).user?.emailVerified).toBe(true);
});

test("resend without an address sends to the caller's own; with neither address nor token it is 400", async () => {
  const { user, email, access } = await registerUser(harness);
  await latestCode(harness, email);
  await ageLastSend(user!.id);
  await as(access).resendVerificationCode({});
  expect(await latestCode(harness, email, 2)).toMatch(/^\d{6}$/);
  expect(await failure(auth().resendVerificationCode({}))).toMatchObject({ code: Code.InvalidArgument, reason: "EMAIL_REQUIRED" });
  expect(await failure(harness.client(AuthService, "not-a-token").resendVerificationCode({}))).toMatchObject({
    code: Code.Unauthenticated,
  });
});

test("a code is bound to its address: another account's code does not verify this one", async () => {
  const a = await registerUser(harness);
  const b = await registerUser(harness);
  const access = b.access;
  const codeOfA = await latestCode(harness, a.email);
  expect(await failure(as(access).verifyEmail({ email: b.email, code: codeOfA }))).toMatchObject({ reason: "OTP_INVALID" });
});

test("an expired code (10 minutes) is 400 OTP_EXPIRED, even when right", async () => {
  const { user, email, access } = await registerUser(harness);
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
  const err = await failure(as(access).verifyEmail({ email, code }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "OTP_EXPIRED" });
});

test("50 parallel wrong guesses: exactly 5 are counted (OTP_INVALID), the rest are 429 OTP_ATTEMPTS_EXCEEDED, and the right code is refused after", async () => {
  const { user, email, access } = await registerUser(harness);
  const code = await latestCode(harness, email);
  const guesses = Array.from({ length: 50 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
  const errors = await Promise.all(guesses.map((guess) => failure(as(access).verifyEmail({ email, code: guess }))));
  const reasons = errors.map((e) => e.reason);
  expect(reasons.filter((r) => r === "OTP_INVALID")).toHaveLength(5);
  expect(reasons.filter((r) => r === "OTP_ATTEMPTS_EXCEEDED")).toHaveLength(45);
  const exceeded = errors.find((e) => e.reason === "OTP_ATTEMPTS_EXCEEDED")!;
  expect(exceeded.code).toBe(Code.ResourceExhausted);
  expect(Number(exceeded.metadata.get("retry-after"))).toBeGreaterThan(0);
  const [row] = await dbExecute(harness, "select attempts from email_verification_code where user_id = ?", [user!.id]);
  expect(row!.attempts).toBe(5);
  expect(await failure(as(access).verifyEmail({ email, code }))).toMatchObject({
    code: Code.ResourceExhausted,
    reason: "OTP_ATTEMPTS_EXCEEDED",
  });

  // Until a new code is sent: then the new code works.
  await ageLastSend(user!.id);
  await auth().resendVerificationCode({ email });
  const fresh = await latestCode(harness, email, 2);
  const res = await as(access).verifyEmail({ email, code: fresh });
  expect(res.user?.emailVerified).toBe(true);
});

test("resend answers 202 and kills the old code", async () => {
  const { user, email, access } = await registerUser(harness);
  const old = await latestCode(harness, email);
  await ageLastSend(user!.id);
  let status: string | null = null;
  await auth().resendVerificationCode({ email }, { onHeader: (h) => (status = h.get("x-http-status")) });
  expect(status).toBe("202");
  const fresh = await latestCode(harness, email, 2);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(2);
  if (fresh !== old) expect(await failure(as(access).verifyEmail({ email, code: old }))).toMatchObject({ reason: "OTP_INVALID" });
  expect((await as(access).verifyEmail({ email, code: fresh })).user?.emailVerified).toBe(true);
});

test("a resend within 60 s of the last code is dropped silently (202, no mail, the code stays)", async () => {
  const { email, access } = await registerUser(harness);
  const code = await latestCode(harness, email);
  await auth().resendVerificationCode({ email });
  await mailOutboxDrained(harness);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(1);
  expect((await as(access).verifyEmail({ email, code })).user?.emailVerified).toBe(true);
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
  const { access } = await registerUser(harness);
  expect(await failure(auth().resendVerificationCode({ email: "nope" }))).toMatchObject({ code: Code.InvalidArgument, fields: ["email"] });
  expect(await failure(as(access).verifyEmail({ email: "nope", code: "12345" }))).toMatchObject({ code: Code.InvalidArgument });
});

test("the development mailbox lists an address's mails newest first", async () => {
  const { user, email, access } = await registerUser(harness);
  await latestCode(harness, email);
  await ageLastSend(user!.id);
  await auth().resendVerificationCode({ email });
  await latestCode(harness, email, 2);
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  expect(messages).toHaveLength(2);
  expect(messages[0]!.sentAt!.seconds >= messages[1]!.sentAt!.seconds).toBe(true);
  expect(messages[0]).toMatchObject({ to: email, subject: "Your verification code" });
  const newest = /\d{6}/.exec(messages[0]!.text)![0];
  expect((await as(access).verifyEmail({ email, code: newest })).user?.emailVerified).toBe(true);
});
