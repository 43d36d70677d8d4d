// A REST client for the gateway that connects from a chosen loopback address. Envoy rate-limits per client
// address and per route (AuthService routes: 60 a minute by default), and other suites of the same run (the
// contract suite) spend that budget from 127.0.0.1: each stack suite uses its own 127.0.0.x, as another
// machine would. Keep-alive connections, JSON in and out.
import http from "node:http";
import { gatewayUrl } from "./stack.ts";

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the tests check answers field by field.
  body: any;
  text: string;
}

export function restClient(sourceAddress: string, baseUrl = gatewayUrl) {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, localAddress: sourceAddress } as http.AgentOptions);
  const call = (method: string, path: string, body?: unknown, token?: string, extra: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { ...extra };
      if (payload !== undefined) headers["content-type"] = "application/json";
      if (token) headers.authorization = `Bearer ${token}`;
      const req = http.request({ host: base.hostname, port: base.port || 80, method, path, headers, agent, timeout: 15_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: json, text });
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 15 s`)));
      req.on("error", reject);
      req.end(payload);
    });
  return {
    get: (path: string, token?: string) => call("GET", path, undefined, token),
    post: (path: string, body: unknown = {}, token?: string, headers?: Record<string, string>) => call("POST", path, body, token, headers),
    patch: (path: string, body: unknown = {}, token?: string) => call("PATCH", path, body, token),
    close: () => agent.destroy(),
  };
}

export type RestClient = ReturnType<typeof restClient>;

/** A username and email no other run has used: [A-Za-z0-9_.]{3,30}. */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 30);
}

export const PASSWORD = "stack tests: a quiet lighthouse 7";

export interface RegisteredUser {
  id: string;
  username: string;
  email: string;
  access: string;
  refresh: string;
}

function expectStatus(what: string, answer: Answer, status: number): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 300)}`);
}

export async function register(api: RestClient, prefix: string, firstName = ""): Promise<RegisteredUser> {
  const username = uniqueName(prefix);
  const email = `${username.toLowerCase()}@example.com`;
  const answer = await api.post("/api/auth/register/", { username, email, password: PASSWORD, first_name: firstName });
  expectStatus("register", answer, 201);
  return { id: answer.body.user.id, username, email, access: answer.body.access, refresh: answer.body.refresh };
}

/**
 * The 6-digit code of the newest mail to `email`, from the development mailbox (ENVIRONMENT=dev). Mail goes
 * out after the answer (the mail outbox), so it is waited for (up to 10 s).
 */
export async function latestCode(api: RestClient, email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = await api.get(`/api/dev/mail/?to=${encodeURIComponent(email)}`);
    expectStatus("dev mail", mail, 200);
    const code = /\b(\d{6})\b/.exec(mail.body.messages?.[0]?.text ?? "")?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code in the newest mail to ${email}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Verifies the email by its mailed code, then logs in again: the new access token says email_verified. */
export async function verifyAndLogin(api: RestClient, user: RegisteredUser): Promise<RegisteredUser> {
  const code = await latestCode(api, user.email);
  expectStatus("verify", await api.post("/api/auth/otp/verify/", { email: user.email, code }, user.access), 200);
  const login = await api.post("/api/auth/login/", { username: user.username, password: PASSWORD });
  expectStatus("login", login, 200);
  return { ...user, access: login.body.access, refresh: login.body.refresh };
}
