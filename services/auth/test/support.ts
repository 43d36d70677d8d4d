// Helpers shared by the auth service's integration tests: a harness over a fresh database, registration,
// the code from the development mailbox, and assertions on the platform's error shape.
import { type Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import type { Logger } from "@identity/shared/logger.ts";
import { type ServiceHarness, startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { within } from "@identity/shared/testing/within.ts";
import { type AuthModule, authService } from "../src/definition.ts";

export type AuthHarness = ServiceHarness<AuthModule>;

let counter = 0;
/** A name unique within the run, valid as a username. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`.slice(0, 30);
}

/** `logger`: the service's (silent unless given; createCapturedLog() lets a test read its lines). */
export function startAuth(env: Record<string, string> = {}, logger?: Logger): Promise<AuthHarness> {
  return startServiceHarness(authService, { env, logger });
}

/**
 * Starts auth before the file's tests and closes it after them. The harness returned stands for the started
 * one (usable in tests and later hooks), so a file does not repeat the start and close around a variable.
 */
export function useAuth(env: Record<string, string> = {}): AuthHarness {
  let started: AuthHarness | undefined;
  beforeAll(async () => {
    started = await startAuth(env);
  });
  afterAll(() => started?.close());
  return new Proxy({} as AuthHarness, {
    get(_, property) {
      if (!started) throw new Error("the auth harness is used before the file's beforeAll started it");
      return Reflect.get(started, property);
    },
  });
}

export const STRONG_PASSWORD = "correct horse battery staple 42";

export async function registerUser(harness: AuthHarness, overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  const username = overrides.username ?? uniqueName();
  const email = overrides.email ?? `${username}@example.com`;
  const password = overrides.password ?? STRONG_PASSWORD;
  const res = await harness.client(AuthService).register({ username, email, password, firstName: "Ada", lastName: "Lovelace" });
  return { ...res, username, email, password };
}

/** The mails to `email` in the development mailbox, newest first. */
export async function mailsTo(harness: AuthHarness, email: string) {
  return (await harness.client(DevMailService).listMail({ to: email })).messages;
}

/**
 * The newest 6-digit code mailed to `email`, once at least `count` mails have arrived: mail goes out after
 * the answer (the mail outbox), so it is waited for (up to 10 s).
 */
export async function latestCode(harness: AuthHarness, email: string, count = 1): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = await mailsTo(harness, email);
    const code = messages.length >= count ? /\b(\d{6})\b/.exec(messages[0]?.text ?? "")?.[1] : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code mailed to ${email} (${messages.length} mails)`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the mail relay has sent everything queued so far. */
export async function mailOutboxDrained(harness: AuthHarness): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await dbExecute(harness, "select 1 from mail_outbox limit 1")).length > 0) {
    if (Date.now() > deadline) throw new Error("the mail outbox did not drain");
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function errorOf(err: unknown): { code: Code; reason: string | undefined; message: string; fields: string[]; metadata: Headers } {
  const e = ConnectError.from(err);
  const info = e.findDetails(ErrorInfoSchema)[0];
  const fields = e.findDetails(BadRequestSchema).flatMap((b) => b.fieldViolations.map((v) => v.field));
  return { code: e.code, reason: info?.reason, message: e.rawMessage, fields, metadata: e.metadata };
}

/** Awaits a call that must fail and returns its error. */
export async function failure(call: Promise<unknown>): Promise<ReturnType<typeof errorOf>> {
  try {
    await call;
  } catch (err) {
    return errorOf(err);
  }
  throw new Error("the call succeeded");
}

/** Runs SQL on the service's database (test set-up only: e.g. age a code). */
export function dbExecute(harness: AuthHarness, query: string, params: unknown[] = []) {
  return harness.orm.em.fork().getConnection().execute<Record<string, unknown>[]>(query, params, "all");
}

/** Waits for a mail to `email` whose subject matches (mails leave after the answer) and returns its text. */
export async function waitForMail(harness: AuthHarness, email: string, subject: RegExp, timeoutMs = 10_000): Promise<string> {
  let text: string | undefined;
  await within(timeoutMs, async () => {
    text = (await mailsTo(harness, email)).find((m) => subject.test(m.subject))?.text;
    if (text === undefined) throw new Error(`no mail "${subject}" to ${email}`);
  });
  return text as string;
}

/** How many mails to `email` have a matching subject. */
export async function mailCount(harness: AuthHarness, email: string, subject: RegExp): Promise<number> {
  return (await mailsTo(harness, email)).filter((m) => subject.test(m.subject)).length;
}

/** Retries a check until it passes (for what the outbox or a consumer does a little later). */
export { within };
