import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { UserEmailChangedSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import {
  dbExecute,
  failure,
  mailCount,
  mailOutboxDrained,
  registerUser,
  STRONG_PASSWORD,
  uniqueName,
  useAuth,
  waitForMail,
} from "./support.ts";

const harness = useAuth({ OTP_RESEND_INTERVAL: "1s" });

const auth = (token?: string) => harness.client(AuthService, token);
const newAddress = () => `${uniqueName("moved")}@example.org`;
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? "";

test("a code to the new address and a notice to the old; the right code switches and verifies it, with user.email_changed", async () => {
  const { access, email, username, user } = await registerUser(harness);
  const target = newAddress();
  await auth(access).requestEmailChange({ newEmail: target, password: STRONG_PASSWORD });
  const code = codeIn(await waitForMail(harness, target, /confirm your new email/i));
  expect(await waitForMail(harness, email, /being changed/i)).toContain(target);

  const res = await auth(access).confirmEmailChange({ code });
  expect(res.user).toMatchObject({ id: user!.id, email: target, emailVerified: true });
  await expect(auth().login({ username: target, password: STRONG_PASSWORD })).resolves.toHaveProperty("access");
  expect(await failure(auth().login({ username: email, password: STRONG_PASSWORD }))).toMatchObject({ reason: "INVALID_CREDENTIALS" });
  const rows = await dbExecute(harness, "select payload from outbox_event where key = ? and type = 'user.email_changed'", [user!.id]);
  expect(fromBinary(UserEmailChangedSchema, rows[0]!.payload as Uint8Array)).toMatchObject({ userId: user!.id, email: target });
  // The code is spent; the old address is free for someone else.
  expect(await failure(auth(access).confirmEmailChange({ code }))).toMatchObject({ reason: "OTP_INVALID" });
  await expect(registerUser(harness, { email })).resolves.toHaveProperty("access");
  expect(username).toBeTruthy();
});

test("a taken address is 409, the same address 400, a wrong password 400; nothing is sent", async () => {
  const a = await registerUser(harness);
  const b = await registerUser(harness);
  expect(await failure(auth(a.access).requestEmailChange({ newEmail: b.email.toUpperCase(), password: STRONG_PASSWORD }))).toMatchObject({
    code: Code.AlreadyExists,
    reason: "EMAIL_TAKEN",
    fields: ["new_email"],
  });
  expect(await failure(auth(a.access).requestEmailChange({ newEmail: a.email, password: STRONG_PASSWORD }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "EMAIL_UNCHANGED",
  });
  expect(await failure(auth(a.access).requestEmailChange({ newEmail: newAddress(), password: "not my password" }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "PASSWORD_INCORRECT",
    fields: ["password"],
  });
  expect(await failure(auth(a.access).requestEmailChange({ newEmail: "nope", password: STRONG_PASSWORD }))).toMatchObject({
    code: Code.InvalidArgument,
  });
  expect(await failure(auth(a.access).confirmEmailChange({ code: "123456" }))).toMatchObject({ reason: "OTP_INVALID" });
});

test("5 wrong codes kill it; an expired one is refused; a code works for this account only", async () => {
  const a = await registerUser(harness);
  const target = newAddress();
  await auth(a.access).requestEmailChange({ newEmail: target, password: STRONG_PASSWORD });
  const code = codeIn(await waitForMail(harness, target, /confirm your new email/i));
  const wrong = code === "000000" ? "111111" : "000000";
  // Someone else cannot spend it.
  const b = await registerUser(harness);
  expect(await failure(auth(b.access).confirmEmailChange({ code }))).toMatchObject({ reason: "OTP_INVALID" });
  for (let i = 0; i < 5; i++)
    expect(await failure(auth(a.access).confirmEmailChange({ code: wrong }))).toMatchObject({ reason: "OTP_INVALID" });
  expect(await failure(auth(a.access).confirmEmailChange({ code }))).toMatchObject({
    code: Code.ResourceExhausted,
    reason: "OTP_ATTEMPTS_EXCEEDED",
  });

  await new Promise((r) => setTimeout(r, 1100));
  await auth(a.access).requestEmailChange({ newEmail: target, password: STRONG_PASSWORD });
  await mailOutboxDrained(harness); // the new code is stored by the mail's composer, after the answer
  await dbExecute(harness, "update email_change_code set expires_at = now() - interval '1 second' where user_id = ?", [a.user!.id]);
  const [row] = await dbExecute(harness, "select email from email_change_code where user_id = ?", [a.user!.id]);
  expect(row!.email).toBe(target);
  expect(await failure(auth(a.access).confirmEmailChange({ code: "123456" }))).toMatchObject({ reason: "OTP_EXPIRED" });
});

test("an address taken between the request and the code is 409 at the switch", async () => {
  const a = await registerUser(harness);
  const target = newAddress();
  await auth(a.access).requestEmailChange({ newEmail: target, password: STRONG_PASSWORD });
  const code = codeIn(await waitForMail(harness, target, /confirm your new email/i));
  await registerUser(harness, { email: target });
  expect(await failure(auth(a.access).confirmEmailChange({ code }))).toMatchObject({ code: Code.AlreadyExists, reason: "EMAIL_TAKEN" });
});

test("an account deleted before its code mail is composed gets no mail, and the relay moves on", async () => {
  const a = await registerUser(harness);
  const target = newAddress();
  await harness.module.mailRelay.stop();
  try {
    await auth(a.access).requestEmailChange({ newEmail: target, password: STRONG_PASSWORD });
    await auth(a.access).deleteAccount({ password: STRONG_PASSWORD });
  } finally {
    harness.module.mailRelay.start();
  }
  await mailOutboxDrained(harness);
  expect(await mailCount(harness, target, /confirm your new email/i)).toBe(0);
});
