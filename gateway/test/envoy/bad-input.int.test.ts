// Bad input at the real Envoy, before any service sees it (the Lua filter and the route table): the refusals
// the embedded gateway makes in request-message.ts, answered alike, google.rpc.Status JSON with the field.
// The services' own refusals (NUL in a query, the contract's rules) are the attack contract suite's.
import { request } from "node:http";
import { jest } from "@jest/globals";
import type { RunningEnvoy } from "./harness.ts";
import { type EnvoyOnStubs, type Stubs, startEnvoyOnStubs } from "./stubs.ts";

jest.setTimeout(120_000);

let stubs: Stubs;
let envoy: RunningEnvoy;
let bearer: Record<string, string>;

let edge: EnvoyOnStubs;
beforeAll(async () => {
  edge = await startEnvoyOnStubs();
  ({ stubs, envoy, bearer } = edge);
});
afterAll(() => edge?.stop());

interface Status {
  code: number;
  message: string;
  details: Array<{ field_violations?: Array<{ field: string }> }>;
}

function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; json: Status | undefined }>((resolve, reject) => {
    const req = request(`${envoy.url}${path}`, { method, headers: { "content-type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const violations = (json: Status | undefined): string[] =>
  (json?.details ?? []).flatMap((d) => (d.field_violations ?? []).map((v) => v.field));

test.each([
  ["null for a string field", '{"username":null,"password":"x"}'],
  ["a number for a string field", '{"username":5,"password":"x"}'],
  ["an object for a string field", '{"username":{"a":1},"password":"x"}'],
  ["NUL in a string field", '{"username":"a\\u0000b","password":"x"}'],
  ["a lone high surrogate", '{"username":"a\\ud800b","password":"x"}'],
  ["a lone low surrogate", '{"username":"a\\udc00","password":"x"}'],
  ["a high surrogate at the end", '{"username":"a\\ud83d","password":"x"}'],
])("%s is 400 with a violation naming the field, and never reaches the service", async (_, body) => {
  const before = stubs.byOwner.auth.calls.length;
  const answer = await send("POST", "/api/auth/login/", body);
  expect(answer.status).toBe(400);
  expect(answer.json).toMatchObject({ code: 3 });
  expect(violations(answer.json)).toEqual(["username"]);
  expect(stubs.byOwner.auth.calls.length).toBe(before);
});

test("a paired surrogate (an emoji) and escaped quotes are text, and pass", async () => {
  const answer = await send("POST", "/api/auth/login/", '{"username":"a\\ud83d\\ude00 \\"q\\"","password":"x"}');
  expect(answer.status).toBe(200);
});

test("PUT and PATCH with no body at all, or a body that is not a JSON object, are 400; `{}` is a request", async () => {
  for (const method of ["PUT", "PATCH"]) {
    const answer = await send(method, "/api/profiles/me/", undefined, bearer);
    expect([method, answer.status, answer.json?.code]).toEqual([method, 400, 3]);
  }
  for (const body of ["null", "[]", '"x"', "5"]) {
    expect([body, (await send("PATCH", "/api/profiles/me/", body, bearer)).status]).toEqual([body, 400]);
  }
  expect((await send("PATCH", "/api/profiles/me/", "{}", bearer)).status).toBe(200);
});

test("a known path with a wrong method is 405 with Allow, as google.rpc.Status JSON", async () => {
  for (const [method, path, allow] of [
    ["TRACE", "/.well-known/jwks.json", "GET"],
    ["DELETE", "/api/auth/login/", "POST"],
    ["POST", "/api/profiles/me/", "GET, PUT, PATCH"],
  ] as const) {
    const answer = await send(method, path);
    expect([method, path, answer.status, answer.headers.allow]).toEqual([method, path, 405, allow]);
    expect(answer.json).toMatchObject({ code: 12, message: "Method not allowed." });
  }
});

test("a body over the limit is 413 as JSON, not text", async () => {
  const answer = await send("POST", "/api/auth/login/", JSON.stringify({ username: "x".repeat(200_000), password: "x" }));
  expect(answer.status).toBe(413);
  expect(answer.json).toMatchObject({ code: 3 });
});

test("security headers on every answer, the API's and Envoy's own", async () => {
  for (const answer of [await send("POST", "/api/auth/login/", '{"username":"a","password":"b"}'), await send("GET", "/api/nothing/")]) {
    expect(answer.headers["content-security-policy"]).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
  }
});
