// The embedded platform of `npm start`, booted in process on port 0: the journey over REST, the same
// services over Connect and gRPC-Web clients, what only this gateway owns (request ids, security headers,
// body limit, data kept across a restart), and its rate limit at a low setting.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { jest } from "@jest/globals";
import { latestCode, PASSWORD, registerUser, restClient, uniqueName } from "../contract/rest-client.ts";
import { type EmbeddedPlatform, startTestPlatform } from "../support/test-platform.ts";

jest.setTimeout(120_000);

const boot = startTestPlatform;

describe("the embedded platform", () => {
  let platform: EmbeddedPlatform;
  beforeAll(async () => {
    platform = await boot({ RATE_LIMIT_AUTH_REQUESTS: "1000" });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it("hosts the three services", () => {
    expect([...platform.services.keys()].sort()).toEqual(["auth", "friendship", "profile"]);
    expect(platform.missing).toEqual([]);
  });

  it("runs the journey over REST: register, verify with the mailed code, log in, profile, friends", async () => {
    const api = restClient(platform.url);
    const username = uniqueName("journey");
    const email = `${username}@example.com`;
    const reg = await api.post("/api/auth/register/", { username, email, password: PASSWORD });
    expect(reg.status).toBe(201);
    const verify = await api.post("/api/auth/otp/verify/", { email, code: await latestCode(api, email) }, { token: reg.body.access });
    expect([verify.status, verify.body.user.email_verified]).toEqual([200, true]);
    const login = await api.post("/api/auth/login/", { username, password: PASSWORD });
    expect(login.status).toBe(200);
    const me = await api.get("/api/profiles/me/", { token: login.body.access });
    expect([me.status, me.body.username]).toEqual([200, username]);
    const friend = await registerUser(api, "friend");
    const request = await api.post("/api/friendships/request/", { addressee_id: friend.id }, { token: login.body.access });
    expect([request.status, request.body.status]).toEqual([201, "requested"]);
    const accept = await api.post(`/api/friendships/respond/${request.body.id}/`, { action: "accept" }, { token: friend.access });
    expect([accept.status, accept.body.status]).toEqual([200, "accepted"]);
  });

  it("serves the same services to Connect, gRPC-Web (HTTP/1.1) and gRPC (h2c) clients", async () => {
    const user = await registerUser(api(), "clients");
    const transports = [
      createConnectTransport({ baseUrl: platform.url, httpVersion: "1.1" }),
      createGrpcWebTransport({ baseUrl: platform.url, httpVersion: "1.1" }),
      createGrpcTransport({ baseUrl: platform.url }),
      createConnectTransport({ baseUrl: platform.url, httpVersion: "2" }),
    ];
    for (const transport of transports) {
      const auth = createClient(AuthService, transport);
      const { access } = await auth.login({ username: user.username, password: PASSWORD });
      const profiles = createClient(ProfileService, transport);
      const { profile } = await profiles.getMyProfile({}, { headers: { authorization: `Bearer ${access}` } });
      expect(profile?.userId).toBe(user.id);
      const refused = await profiles.getMyProfile({}).catch((err: unknown) => err);
      expect(ConnectError.from(refused).code).toBe(Code.Unauthenticated);
    }
  });

  it("gives every answer a fresh request id and the security headers, and never the internal status header", async () => {
    const a = await fetch(`${platform.url}/api/auth/otp/resend/`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "chosen-by-client" },
      body: JSON.stringify({ email: "nobody@example.com" }),
    });
    const b = await fetch(`${platform.url}/healthz`);
    expect(a.status).toBe(202);
    expect(a.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
    expect(a.headers.get("x-http-status")).toBeNull();
    for (const res of [a, b]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const res = await api().post("/api/auth/login/", { username: "x".repeat(70 * 1024), password: "y" });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe(Code.InvalidArgument);
  });

  it("serves the web app with its client-side routes, and assets that exist", async () => {
    const page = await fetch(`${platform.url}/friends`, { headers: { accept: "text/html" } });
    expect([200, 503]).toContain(page.status);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect((await fetch(`${platform.url}/assets/missing-0123456789.js`)).status).toBe(404);
    expect((await fetch(`${platform.url}/api/not-a-page/`, { headers: { accept: "text/html" } })).status).toBe(404);
  });

  const api = () => restClient(platform.url);
});

describe("the embedded platform's rate limit, set low", () => {
  let platform: EmbeddedPlatform;
  beforeAll(async () => {
    platform = await boot({ RATE_LIMIT_AUTH_REQUESTS: "3", RATE_LIMIT_AUTH_PERIOD_SECONDS: "60" });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it("answers 429 to REST and RESOURCE_EXHAUSTED to RPC clients past the limit, per route", async () => {
    const api = restClient(platform.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.post("/api/auth/login/", { username: "nobody", password: "wrong" })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another route has its own bucket.
    expect((await api.post("/api/auth/otp/resend/", { email: "nobody@example.com" })).status).toBe(202);
    const client = createClient(AuthService, createGrpcWebTransport({ baseUrl: platform.url, httpVersion: "1.1" }));
    const codes: Code[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        await client.login({ username: "nobody", password: "wrong" }).then(
          () => Code.Unknown,
          (err: unknown) => ConnectError.from(err).code,
        ),
      );
    expect(codes).toEqual([Code.Unauthenticated, Code.Unauthenticated, Code.Unauthenticated, Code.ResourceExhausted]);
  });
});

describe("the embedded platform's data", () => {
  it("keeps accounts across a restart", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "embedded-data-"));
    try {
      const first = await boot({ EMBEDDED_DATA_DIR: dir });
      const user = await registerUser(restClient(first.url), "keep", { verify: false });
      await first.stop();
      const second = await boot({ EMBEDDED_DATA_DIR: dir });
      try {
        const login = await restClient(second.url).post("/api/auth/login/", { username: user.username, password: PASSWORD });
        expect(login.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
