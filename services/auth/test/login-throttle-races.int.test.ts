// Count first, then verify: the login throttles hold under parallelism (50 requests at once), a success gives
// its reservation back, and every failed login and lockout writes its security-log line (never the password).
import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { AuthService, LoginRequestSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { type CapturedLog, createCapturedLog } from "@identity/shared/testing/captured-log.ts";
import { type AuthHarness, dbExecute, failure, registerUser, STRONG_PASSWORD, startAuth, uniqueName } from "./support.ts";

const ACCOUNT_LIMIT = 10;
const CLIENT_LIMIT = 20;
let harness: AuthHarness;
let log: CapturedLog;
beforeAll(async () => {
  log = createCapturedLog("auth");
  harness = await startAuth(
    {
      TRUSTED_PROXY_HOPS: "1",
      LOGIN_MAX_FAILURES: String(ACCOUNT_LIMIT),
      LOGIN_FAILURES_PER_CLIENT_LIMIT: String(CLIENT_LIMIT),
      REGISTRATIONS_PER_CLIENT_LIMIT: "1000",
    },
    log.logger,
  );
});
afterAll(() => harness?.close());

const auth = () => harness.client(AuthService);
let clientCounter = 0;
/** A distinct client address, as the gateway appends it to x-forwarded-for. */
const newClient = () => `198.18.${Math.floor(++clientCounter / 250)}.${clientCounter % 250}`;
const from = (client: string) => ({ headers: { "x-forwarded-for": client } });
/** How many errors of each reason. */
function reasons(errors: { reason: string | undefined }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of errors) counts[String(e.reason)] = (counts[String(e.reason)] ?? 0) + 1;
  return counts;
}

test("50 parallel wrong passwords for one account from 50 clients: exactly LOGIN_MAX_FAILURES are evaluated, then even the right password is 429", async () => {
  const { username, user } = await registerUser(harness);
  const errors = await Promise.all(
    Array.from({ length: 50 }, (_, i) => failure(auth().login({ username, password: `wrong password ${i}` }, from(newClient())))),
  );
  expect(reasons(errors)).toEqual({ INVALID_CREDENTIALS: ACCOUNT_LIMIT, RATE_LIMITED: 50 - ACCOUNT_LIMIT });
  const refused = await failure(auth().login({ username, password: STRONG_PASSWORD }, from(newClient())));
  expect(refused).toMatchObject({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
  expect(Number(refused.metadata.get("retry-after"))).toBeGreaterThan(0);
  // The security log: one line per evaluated failure, one lockout, nothing for the refused ones.
  const failed = log.securityLines("login_failed").filter((l) => l.user_id === user!.id);
  expect(failed).toHaveLength(ACCOUNT_LIMIT);
  expect(failed[0]).toMatchObject({ log: "security", client: expect.stringMatching(/^198\.18\./), request_id: expect.any(String) });
  expect(log.securityLines("login_throttled").filter((l) => l.user_id === user!.id)).toHaveLength(1);
  expect(log.raw()).not.toContain("wrong password");
  expect(log.raw()).not.toContain(STRONG_PASSWORD);
});

test("50 parallel wrong logins from one client address: exactly the client limit is evaluated, then the right password of another account is 429 from it", async () => {
  const client = newClient();
  const errors = await Promise.all(
    Array.from({ length: 50 }, () => failure(auth().login({ username: uniqueName("spray"), password: "wrong password" }, from(client)))),
  );
  expect(reasons(errors)).toEqual({ INVALID_CREDENTIALS: CLIENT_LIMIT, RATE_LIMITED: 50 - CLIENT_LIMIT });
  const { username } = await registerUser(harness);
  expect(await failure(auth().login({ username, password: STRONG_PASSWORD }, from(client)))).toMatchObject({ reason: "RATE_LIMITED" });
  // The account itself is fine: from elsewhere it logs in.
  await expect(auth().login({ username, password: STRONG_PASSWORD }, from(newClient()))).resolves.toHaveProperty("access");
  const lockouts = log.securityLines("login_throttled").filter((l) => l.client === client);
  expect(lockouts).toHaveLength(1);
});

test("a success gives its reservation back: the windows count failures only", async () => {
  const { username, user } = await registerUser(harness);
  const client = newClient();
  for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await failure(auth().login({ username, password: "wrong password" }, from(client)));
  for (let i = 0; i < 5; i++)
    await expect(auth().login({ username, password: STRONG_PASSWORD }, from(client))).resolves.toHaveProperty("access");
  const [row] = await dbExecute(harness, "select count from rate_limit_bucket where key = ?", [`login:account:${user!.id}`]);
  expect(row!.count).toBe(ACCOUNT_LIMIT - 1);
  // One more failure fills the window: then the right password is refused.
  await failure(auth().login({ username, password: "wrong password" }, from(client)));
  expect(await failure(auth().login({ username, password: STRONG_PASSWORD }, from(newClient())))).toMatchObject({ reason: "RATE_LIMITED" });
});

test("over gRPC the refusal's retry-after is a response header too (a transcoding gateway passes headers, not trailers, to REST clients)", async () => {
  const { username } = await registerUser(harness);
  const client = newClient();
  for (let i = 0; i < ACCOUNT_LIMIT; i++) await failure(auth().login({ username, password: "wrong password" }, from(client)));
  // A raw gRPC call over HTTP/2, as Envoy makes it: the response headers, apart from the trailers.
  const session = http2.connect(harness.baseUrl);
  try {
    const message = toBinary(LoginRequestSchema, create(LoginRequestSchema, { username, password: STRONG_PASSWORD }));
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    const stream = session.request({
      ":method": "POST",
      ":path": "/identity.auth.v1.AuthService/Login",
      "content-type": "application/grpc",
      te: "trailers",
      "x-forwarded-for": client,
    });
    const [headers, trailers] = await new Promise<[http2.IncomingHttpHeaders, http2.IncomingHttpHeaders]>((resolve, reject) => {
      let head: http2.IncomingHttpHeaders = {};
      stream.on("response", (h) => (head = h));
      stream.on("trailers", (t) => resolve([head, t]));
      stream.on("end", () => resolve([head, {}]));
      stream.on("error", reject);
      stream.resume();
      stream.end(frame);
    });
    const status = headers["grpc-status"] ?? trailers["grpc-status"];
    expect(status).toBe(String(Code.ResourceExhausted));
    expect(Number(headers["retry-after"])).toBeGreaterThan(0);
  } finally {
    session.close();
  }
});
