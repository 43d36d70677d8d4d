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

test("registration mails the code over SMTP; the code from the inbox verifies the address", async () => {
  const { email } = await registerUser(harness);
  const code = codeIn(email);
  expect(code).toMatch(/^\d{6}$/);
  expect(inbox.find((m) => m.to.includes(email))!.raw).toMatch(/^From: Identity <no-reply@example\.com>/m);
  const res = await harness.client(AuthService).verifyEmail({ email, code: code! });
  expect(res.user?.emailVerified).toBe(true);
});

test("a mail failure does not lose the account: 201 and the account is there (the user can ask for a resend)", async () => {
  const { user, email } = await registerUser(downHarness);
  expect(user?.id).toBeDefined();
  const rows = await dbExecute(downHarness, "select id from app_user where id = ?", [user!.id]);
  expect(rows).toHaveLength(1);
  expect(codeIn(email)).toBeUndefined();
}, 30_000);
