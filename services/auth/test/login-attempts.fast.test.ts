// Count first: the login's failure windows, on PGlite. Wrong passwords are counted up to the limit, then even
// the right one is refused until the window ends; a success gives its reservation back.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { FAST_PASSWORD, type FastAuth, startFastAuth } from "./fast-auth.ts";

const LIMIT = 3;
let auth: FastAuth;
const PASSWORD = FAST_PASSWORD;

beforeAll(async () => {
  auth = await startFastAuth({ LOGIN_MAX_FAILURES: String(LIMIT) });
});
afterAll(() => auth?.close());

const newAccount = () => auth.registerAccount("fast_login");
const from = (client: string) => ({ client, requestId: undefined });

test("past the account's limit of failures even the right password is refused (429), from any client", async () => {
  const username = await newAccount();
  for (let i = 0; i < LIMIT; i += 1) {
    await expect(
      auth.useCases.login({ username, password: "wrong password 1", origin: from(`198.51.100.${10 + i}`) }),
    ).rejects.toMatchObject({
      reason: "INVALID_CREDENTIALS",
    });
  }
  await expect(auth.useCases.login({ username, password: PASSWORD, origin: from("198.51.100.99") })).rejects.toMatchObject({
    reason: "RATE_LIMITED",
  });
});

test("a success gives its reservation back: logging in often never uses up the budget", async () => {
  const username = await newAccount();
  for (let i = 0; i < LIMIT * 2; i += 1) {
    await expect(auth.useCases.login({ username, password: PASSWORD, origin: from("198.51.100.20") })).resolves.toMatchObject({
      access: expect.any(String),
    });
  }
  await expect(auth.useCases.login({ username, password: "wrong password 1", origin: from("198.51.100.20") })).rejects.toMatchObject({
    reason: "INVALID_CREDENTIALS",
  });
});

test("parallel wrong passwords: exactly the limit is evaluated, the rest refused before the hash", async () => {
  const username = await newAccount();
  const results = await Promise.allSettled(
    Array.from({ length: LIMIT + 4 }, (_, i) =>
      auth.useCases.login({ username, password: "wrong password 1", origin: from(`198.51.100.${40 + i}`) }),
    ),
  );
  const reasons = results.map((r) => (r.status === "rejected" ? (r.reason as { reason?: string }).reason : "ok"));
  expect(reasons.filter((r) => r === "INVALID_CREDENTIALS")).toHaveLength(LIMIT);
  expect(reasons.filter((r) => r === "RATE_LIMITED")).toHaveLength(4);
});

test("an unknown account is counted under its lower-cased name, like a known one", async () => {
  for (let i = 0; i < LIMIT; i += 1) {
    await expect(
      auth.useCases.login({ username: "Nobody_Here", password: "wrong password 1", origin: from("198.51.100.60") }),
    ).rejects.toMatchObject({
      reason: "INVALID_CREDENTIALS",
    });
  }
  await expect(
    auth.useCases.login({ username: "nobody_here", password: "wrong password 1", origin: from("198.51.100.61") }),
  ).rejects.toMatchObject({
    reason: "RATE_LIMITED",
  });
});
