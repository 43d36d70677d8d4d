// A small REST client for the contract suites: JSON in and out, status and headers kept, every answer held
// against what the contract declares for its route, and the journey helpers (register, read the emailed
// code, verify, log in).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { undeclaredAnswer } from "./declared-answers.ts";

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field by the tests.
  body: any;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding). */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One request from a chosen source address (node:http: fetch cannot pick it). */
function requestFrom(localAddress: string, url: URL, method: string, headers: Record<string, string>, body: string | undefined) {
  return new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, { method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, text: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A client of the gateway at `baseUrl`; with `localAddress` (a 127.x.y.z of its own), its requests come from
 * that address, so a suite neither spends nor is spent by the per-client limits of suites running beside it.
 */
export function restClient(baseUrl: string, localAddress?: string) {
  const call = async (method: string, path: string, options: RequestOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
    const res = localAddress
      ? await requestFrom(localAddress, new URL(`${baseUrl}${path}`), method, headers, body)
      : await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: "manual" });
    const text = "text" in res && typeof res.text === "string" ? res.text : await (res as Response).text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // An answer the contract does not declare fails the test that got it.
    const undeclared = undeclaredAnswer(method, path, res.status, json);
    if (undeclared) throw new Error(undeclared);
    return { status: res.status, headers: res.headers, body: json, text };
  };
  return {
    call,
    get: (path: string, options?: RequestOptions) => call("GET", path, options),
    post: (path: string, body?: unknown, options?: RequestOptions) => call("POST", path, { ...options, body: body ?? {} }),
    put: (path: string, body?: unknown, options?: RequestOptions) => call("PUT", path, { ...options, body: body ?? {} }),
    patch: (path: string, body?: unknown, options?: RequestOptions) => call("PATCH", path, { ...options, body: body ?? {} }),
    delete: (path: string, options?: RequestOptions) => call("DELETE", path, options),
  };
}

export type RestClient = ReturnType<typeof restClient>;

let counter = 0;
/** A username and email no other run has used: [A-Za-z0-9_.]{3,30}. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 30);
}

export const PASSWORD = "a quiet lighthouse 7 sings";

export interface TestUser {
  id: string;
  username: string;
  email: string;
  access: string;
  refresh: string;
}

/** The mails to `email` in the development mailbox, newest first. */
export async function mailsTo(api: RestClient, email: string): Promise<{ text: string }[]> {
  const mail = await api.get(`/api/dev/mail/?to=${encodeURIComponent(email)}`);
  if (mail.status !== 200) throw new Error(`dev mail: ${mail.status} ${mail.text}`);
  return mail.body.messages;
}

/**
 * The code of the newest mail to `email`, once there are at least `count` mails: mail goes out after the
 * answer (the mail outbox), so it is waited for (up to 10 s).
 */
export async function latestCode(api: RestClient, email: string, count = 1): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = await mailsTo(api, email);
    const code = messages.length >= count ? /\b(\d{6})\b/.exec(messages[0]?.text ?? "")?.[1] : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code in a mail to ${email} (${messages.length} mails)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function registerUser(
  api: RestClient,
  prefix: string,
  options: { verify?: boolean; firstName?: string } = {},
): Promise<TestUser> {
  const username = uniqueName(prefix);
  const email = `${username.toLowerCase()}@example.com`;
  const reg = await api.post("/api/auth/register/", { username, email, password: PASSWORD, first_name: options.firstName ?? "" });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.text}`);
  let { access, refresh } = reg.body as { access: string; refresh: string };
  if (options.verify ?? true) {
    const verified = await api.post("/api/auth/otp/verify/", { email, code: await latestCode(api, email) }, { token: access });
    if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${verified.text}`);
    // A fresh token carries email_verified: true.
    const login = await api.post("/api/auth/login/", { username, password: PASSWORD });
    ({ access, refresh } = login.body);
  }
  return { id: reg.body.user.id, username, email, access, refresh };
}
