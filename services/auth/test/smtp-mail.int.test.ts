// Mail through a real SMTP server started by the test (MAIL_TRANSPORT=smtp): the code is read from what the
// server received, as a person would read it in their inbox.
import type { AddressInfo } from "node:net";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { SMTPServer } from "smtp-server";
import { type AuthHarness, dbExecute, registerUser, startAuth } from "./support.ts";

interface Received {
  to: string[];
  raw: string;
}
const inbox: Received[] = [];
let server: SMTPServer;
let harness: AuthHarness;
let downHarness: AuthHarness;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  harness = await startAuth({
    MAIL_TRANSPORT: "smtp",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(port),
    SMTP_SECURE: "false",
    SMTP_FROM: "Identity <no-reply@example.com>",
  });
  // Nothing listens on port 1: every send fails.
  downHarness = await startAuth({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "127.0.0.1", SMTP_PORT: "1" });
});
afterAll(async () => {
  await harness?.close();
  await downHarness?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const codeIn = (email: string) => {
  const mail = [...inbox].reverse().find((m) => m.to.includes(email));
  return (
    mail &&
    /\b(\d{6})\b/.exec(
      mail.raw
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join("\n"),
    )?.[1]
  );
};

/** Mail goes out after the answer: waits (up to 10 s) for the code to arrive. */
async function codeArriving(email: string): Promise<string | undefined> {
  const deadline = Date.now() + 10_000;
  while (!codeIn(email) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return codeIn(email);
}

test("registration mails the code over SMTP; the code from the inbox verifies the address", async () => {
  const { email, access } = await registerUser(harness);
  const code = await codeArriving(email);
  expect(code).toMatch(/^\d{6}$/);
  expect(inbox.find((m) => m.to.includes(email))!.raw).toMatch(/^From: Identity <no-reply@example\.com>/m);
  const res = await harness.client(AuthService, access).verifyEmail({ email, code: code! });
  expect(res.user?.emailVerified).toBe(true);
});

test("a mail failure does not lose the account nor the mail: 201, the account is there, the mail waits in the outbox for a retry", async () => {
  const { user, email } = await registerUser(downHarness);
  expect(user?.id).toBeDefined();
  const rows = await dbExecute(downHarness, "select id from app_user where id = ?", [user!.id]);
  expect(rows).toHaveLength(1);
  // The relay tried, failed, and put the mail back for later, sealed: the code is not readable in the table.
  const deadline = Date.now() + 20_000;
  let queued: Record<string, unknown>[] = [];
  while (Date.now() < deadline) {
    queued = await dbExecute(
      downHarness,
      "select attempts, composed, next_attempt_at > now() as later from mail_outbox where recipient = ?",
      [email],
    );
    if (Number(queued[0]?.attempts ?? 0) >= 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(queued).toHaveLength(1);
  expect(queued[0]).toMatchObject({ attempts: 1, later: true });
  expect(Buffer.from(queued[0]!.composed as Uint8Array).toString("latin1")).not.toMatch(/verification code is \d{6}/);
  expect(codeIn(email)).toBeUndefined();
}, 40_000);
