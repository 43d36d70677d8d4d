import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { decodeJwt } from "jose";
import { failure, registerUser, STRONG_PASSWORD, uniqueName, useAuth } from "./support.ts";

const harness = useAuth({
  TRUSTED_PROXY_HOPS: "1",
  LOGIN_MAX_FAILURES: "3",
  LOGIN_MAX_FAILURES_WINDOW: "3s",
  LOGIN_FAILURES_PER_CLIENT_LIMIT: "6",
  LOGIN_FAILURES_PER_CLIENT_WINDOW: "1h",
  REGISTRATIONS_PER_CLIENT_LIMIT: "1000",
});

let clientCounter = 0;
/** A distinct client address, as Envoy would append it to x-forwarded-for. */
const newClient = () => ({ "x-forwarded-for": `203.0.113.${++clientCounter}` });
const auth = () => harness.client(AuthService);

test("login by username answers 200 {access, refresh}", async () => {
  const { user, username } = await registerUser(harness);
  const res = await auth().login({ username, password: STRONG_PASSWORD }, { headers: newClient() });
  expect(decodeJwt(res.access)).toMatchObject({ sub: user!.id, username, token_type: "access" });
  expect(decodeJwt(res.refresh)).toMatchObject({ sub: user!.id, token_type: "refresh" });
});

test("login by email, in any case, and by username in another case", async () => {
  const { username, email } = await registerUser(harness);
  await expect(
    auth().login({ username: email.toUpperCase(), password: STRONG_PASSWORD }, { headers: newClient() }),
  ).resolves.toHaveProperty("access");
  await expect(
    auth().login({ username: username.toUpperCase(), password: STRONG_PASSWORD }, { headers: newClient() }),
  ).resolves.toHaveProperty("access");
});

test("login over gRPC works the same", async () => {
  const { username } = await registerUser(harness);
  const res = await harness.grpcClient(AuthService).login({ username, password: STRONG_PASSWORD }, { headers: newClient() });
  expect(res.access.split(".")).toHaveLength(3);
  const err = await failure(harness.grpcClient(AuthService).login({ username, password: "wrong password!" }, { headers: newClient() }));
  expect(err).toMatchObject({ code: Code.Unauthenticated, reason: "INVALID_CREDENTIALS" });
});

test("a wrong password and an unknown user get the same 401 INVALID_CREDENTIALS and message", async () => {
  const { username } = await registerUser(harness);
  const wrong = await failure(auth().login({ username, password: "not the password" }, { headers: newClient() }));
  const unknown = await failure(auth().login({ username: uniqueName("nobody"), password: "not the password" }, { headers: newClient() }));
  for (const err of [wrong, unknown]) {
    expect(err).toMatchObject({
      code: Code.Unauthenticated,
      reason: "INVALID_CREDENTIALS",
      message: "No active account found with the given credentials",
    });
  }
  // Operators see them as what they are, not as internal errors.
  const metrics = await (await fetch(`${harness.opsUrl}/metrics`)).text();
  expect(metrics).toMatch(
    /rpc_requests_total\{[^}]*method="identity\.auth\.v1\.AuthService\/Login"[^}]*code="unauthenticated"[^}]*\} [1-9]/,
  );
  expect(metrics).not.toMatch(/code="internal"/);
});

test("an unknown user costs an Argon2id verification, like a wrong password", async () => {
  const { username } = await registerUser(harness);
  const time = async (name: string) => {
    const started = performance.now();
    await failure(auth().login({ username: name, password: "not the password" }, { headers: newClient() }));
    return performance.now() - started;
  };
  const wrong: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 4; i++) {
    wrong.push(await time(username));
    unknown.push(await time(uniqueName("nobody")));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Argon2id at m=19 MiB, t=2 takes milliseconds; a lookup alone takes far less.
  expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
  expect(median(unknown)).toBeLessThan(median(wrong) * 2);
});

test("failed logins are throttled per account (429 RATE_LIMITED with retry-after), even with the right password, until the window ends", async () => {
  const { username } = await registerUser(harness);
  // Windows are fixed (3 s here): start at the beginning of one so that the failures all land in it.
  await new Promise((r) => setTimeout(r, 3000 - (Date.now() % 3000) + 20));
  for (let i = 0; i < 3; i++) {
    expect(await failure(auth().login({ username, password: "wrong password" }, { headers: newClient() }))).toMatchObject({
      reason: "INVALID_CREDENTIALS",
    });
  }
  // From another client, by email or by name: the account is what is counted.
  const throttled = await failure(auth().login({ username, password: STRONG_PASSWORD }, { headers: newClient() }));
  expect(throttled).toMatchObject({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
  expect(Number(throttled.metadata.get("retry-after"))).toBeGreaterThanOrEqual(1);
  // Slowed, not locked: once the window is over, the owner gets in.
  await new Promise((r) => setTimeout(r, Number(throttled.metadata.get("retry-after")) * 1000 + 200));
  await expect(auth().login({ username, password: STRONG_PASSWORD }, { headers: newClient() })).resolves.toHaveProperty("access");
}, 20_000);

test("failed logins are throttled per client address across accounts", async () => {
  const client = newClient();
  for (let i = 0; i < 6; i++) {
    await failure(auth().login({ username: uniqueName("spray"), password: "wrong password" }, { headers: client }));
  }
  const { username } = await registerUser(harness);
  const err = await failure(auth().login({ username, password: STRONG_PASSWORD }, { headers: client }));
  expect(err).toMatchObject({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
  // Another client is not affected.
  await expect(auth().login({ username, password: STRONG_PASSWORD }, { headers: newClient() })).resolves.toHaveProperty("access");
});

test("only the last x-forwarded-for hop counts as the client: a forged left part does not escape the throttle", async () => {
  const real = `198.51.100.${++clientCounter}`;
  for (let i = 0; i < 6; i++) {
    await failure(
      auth().login(
        { username: uniqueName("spray"), password: "wrong password" },
        { headers: { "x-forwarded-for": `10.0.0.${i}, ${real}` } },
      ),
    );
  }
  const err = await failure(
    auth().login({ username: uniqueName("spray"), password: "wrong password" }, { headers: { "x-forwarded-for": `10.9.9.9, ${real}` } }),
  );
  expect(err.reason).toBe("RATE_LIMITED");
});

test("empty credentials are 400 VALIDATION_FAILED", async () => {
  expect(await failure(auth().login({ username: "", password: "" }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "VALIDATION_FAILED",
  });
});
