// Helpers shared by the auth service's integration tests: a harness over a fresh database, registration,
// the code from the development mailbox, and assertions on the platform's error shape.
import { type Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { type ServiceHarness, startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { type AuthModule, authService } from "../src/definition.ts";

export type AuthHarness = ServiceHarness<AuthModule>;

let counter = 0;
/** A name unique within the run, valid as a username. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`.slice(0, 30);
}

export function startAuth(env: Record<string, string> = {}): Promise<AuthHarness> {
  return startServiceHarness(authService, { env });
}

export const STRONG_PASSWORD = "correct horse battery staple 42";

export async function registerUser(harness: AuthHarness, overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  const username = overrides.username ?? uniqueName();
  const email = overrides.email ?? `${username}@example.com`;
  const password = overrides.password ?? STRONG_PASSWORD;
  const res = await harness.client(AuthService).register({ username, email, password, firstName: "Ada", lastName: "Lovelace" });
  return { ...res, username, email, password };
}

/** The newest 6-digit code mailed to `email`, read from the development mailbox. */
export async function latestCode(harness: AuthHarness, email: string): Promise<string> {
  const { messages } = await harness.client(DevMailService).listMail({ to: email });
  const code = /\b(\d{6})\b/.exec(messages[0]?.text ?? "")?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return code;
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
