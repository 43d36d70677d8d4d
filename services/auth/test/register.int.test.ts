import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { UserRegisteredSchema } from "@identity/proto/identity/auth/v1/auth_events_pb.js";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { dbExecute, failure, latestCode, registerUser, STRONG_PASSWORD, uniqueName, useAuth } from "./support.ts";

const harness = useAuth();

test("register answers 201 with the user and a token pair, and mails a 6-digit code", async () => {
  const username = uniqueName("Mixed.Case");
  let status: string | null = null;
  const res = await harness
    .client(AuthService)
    .register(
      { username, email: `${username}@Example.com`, password: STRONG_PASSWORD, firstName: "Ada", lastName: "Lovelace" },
      { onHeader: (h) => (status = h.get("x-http-status")) },
    );
  expect(status).toBe("201");
  expect(res.user).toMatchObject({
    username,
    email: `${username}@Example.com`,
    emailVerified: false,
    firstName: "Ada",
    lastName: "Lovelace",
  });
  expect(res.user?.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.user?.dateJoined).toBeDefined();
  expect(res.access.split(".")).toHaveLength(3);
  expect(res.refresh.split(".")).toHaveLength(3);
  expect(await latestCode(harness, `${username}@example.com`)).toMatch(/^\d{6}$/);
});

test("the code is stored hashed, never in clear", async () => {
  const { user, email } = await registerUser(harness);
  const code = await latestCode(harness, email);
  const [row] = await dbExecute(
    harness,
    "select encode(code_hash, 'hex') as hash, expires_at - sent_at as ttl from email_verification_code where user_id = ?",
    [user!.id],
  );
  expect(String(row!.hash)).toHaveLength(64);
  expect(String(row!.hash)).not.toContain(code);
});

test("user.registered is in the outbox, keyed by the user id", async () => {
  const { user, username } = await registerUser(harness);
  const rows = await dbExecute(harness, "select topic, key, type, payload from outbox_event where key = ?", [user!.id]);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ topic: "identity.users.v1", type: "user.registered" });
  const event = fromBinary(UserRegisteredSchema, rows[0]!.payload as Uint8Array);
  expect(event).toMatchObject({ userId: user!.id, username, firstName: "Ada", lastName: "Lovelace" });
});

test("a duplicate username, in any case, is 409 USERNAME_TAKEN on the username field", async () => {
  const { username } = await registerUser(harness);
  const err = await failure(registerUser(harness, { username: username.toUpperCase(), email: `${uniqueName()}@example.com` }));
  expect(err).toMatchObject({ code: Code.AlreadyExists, reason: "USERNAME_TAKEN", fields: ["username"] });
});

test("a duplicate email, in any case, is 409 EMAIL_TAKEN on the email field", async () => {
  const { email } = await registerUser(harness);
  const err = await failure(registerUser(harness, { email: email.toUpperCase() }));
  expect(err).toMatchObject({ code: Code.AlreadyExists, reason: "EMAIL_TAKEN", fields: ["email"] });
});

test("two parallel registrations of one name: one 201, one 409", async () => {
  const username = uniqueName("race");
  const results = await Promise.allSettled([
    registerUser(harness, { username, email: `a.${username}@example.com` }),
    registerUser(harness, { username: username.toUpperCase(), email: `b.${username}@example.com` }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const rejected = results.find((r) => r.status === "rejected");
  expect(await failure(Promise.reject(rejected!.reason))).toMatchObject({ code: Code.AlreadyExists, reason: "USERNAME_TAKEN" });
  const [row] = await dbExecute(harness, "select count(*)::int as n from app_user where lower(username) = lower(?)", [username]);
  expect(row!.n).toBe(1);
});

test("two parallel registrations of one email: one 201, one 409", async () => {
  const email = `${uniqueName("race")}@example.com`;
  const results = await Promise.allSettled([registerUser(harness, { email }), registerUser(harness, { email: email.toUpperCase() })]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const rejected = results.find((r) => r.status === "rejected");
  expect(await failure(Promise.reject(rejected!.reason))).toMatchObject({ code: Code.AlreadyExists, reason: "EMAIL_TAKEN" });
});

test.each([
  ["a common password", "password123"],
  ["a common password in another case", "PassWord123"],
])("%s is 400 PASSWORD_TOO_COMMON on the password field", async (_what, password) => {
  const err = await failure(registerUser(harness, { password }));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "PASSWORD_TOO_COMMON", fields: ["password"] });
});

test("a password equal to the username or the email is refused", async () => {
  const username = uniqueName("same");
  expect(await failure(registerUser(harness, { username, password: username.toUpperCase() }))).toMatchObject({
    reason: "PASSWORD_TOO_COMMON",
  });
  const email = `${uniqueName()}@example.com`;
  expect(await failure(registerUser(harness, { email, password: email }))).toMatchObject({ reason: "PASSWORD_TOO_COMMON" });
});

test.each([
  ["a too short username", { username: "ab" }, "username"],
  ["a username with a hyphen", { username: "ab-cd" }, "username"],
  ["a 31-character username", { username: "a".repeat(31) }, "username"],
  ["a malformed email", { email: "not-an-email" }, "email"],
  ["a 7-character password", { password: "x7!kQz9" }, "password"],
  ["a 129-character password", { password: "x".repeat(129) }, "password"],
])("%s is 400 VALIDATION_FAILED naming the field", async (_what, overrides, field) => {
  const err = await failure(registerUser(harness, overrides));
  expect(err).toMatchObject({ code: Code.InvalidArgument, reason: "VALIDATION_FAILED" });
  expect(err.fields).toContain(field);
});

test("a 128-character password is accepted and used exactly as given (no truncation)", async () => {
  const password = `${"Zq9!".repeat(31)}abcd`;
  expect(password).toHaveLength(128);
  const { username } = await registerUser(harness, { password });
  await expect(harness.client(AuthService).login({ username, password })).resolves.toBeDefined();
  const err = await failure(harness.client(AuthService).login({ username, password: `${password.slice(0, 127)}e` }));
  expect(err.reason).toBe("INVALID_CREDENTIALS");
});

test("the password is stored as an Argon2id hash with OWASP's parameters", async () => {
  const { user } = await registerUser(harness);
  const [row] = await dbExecute(harness, "select password_hash from app_user where id = ?", [user!.id]);
  expect(String(row!.password_hash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
});
