// Refresh rotation and "refresh-token reuse revokes the session", on PGlite: the use cases as definition.ts
// builds them, against the service's real migrations.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { FAST_PASSWORD, type FastAuth, startFastAuth } from "./fast-auth.ts";

let auth: FastAuth;
const client = { userAgent: "fast-test", clientAddress: "192.0.2.1" };
const origin = { client: "192.0.2.1", requestId: undefined };
const PASSWORD = FAST_PASSWORD;

beforeAll(async () => {
  auth = await startFastAuth();
});
afterAll(() => auth?.close());

const newAccount = () => auth.registerAccount("fast_refresh");

async function sessionRevokedReasons(): Promise<string[]> {
  const rows = await auth.sql("select payload from outbox_event where type = 'session.revoked'");
  return rows.map((r) => Buffer.from(r.payload as Uint8Array).toString("latin1"));
}

test("a refresh spends the token and gives a working successor", async () => {
  const username = await newAccount();
  const first = await auth.useCases.login({ username, password: PASSWORD, origin });
  const second = await auth.useCases.refreshToken(first.refresh, client);
  expect(second.refresh).not.toBe(first.refresh);
  await expect(auth.useCases.refreshToken(second.refresh, client)).resolves.toMatchObject({ access: expect.any(String) });
});

test("refresh-token reuse revokes the session: the replayed token and its successor both die, other sessions live on", async () => {
  const username = await newAccount();
  const stolen = await auth.useCases.login({ username, password: PASSWORD, origin });
  const other = await auth.useCases.login({ username, password: PASSWORD, origin });
  const successor = await auth.useCases.refreshToken(stolen.refresh, client);
  const before = (await sessionRevokedReasons()).length;

  await expect(auth.useCases.refreshToken(stolen.refresh, client)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  await expect(auth.useCases.refreshToken(successor.refresh, client)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  const revoked = await sessionRevokedReasons();
  expect(revoked).toHaveLength(before + 1);
  expect(revoked.at(-1)).toContain("refresh_token_reuse");
  await expect(auth.useCases.refreshToken(other.refresh, client)).resolves.toMatchObject({ refresh: expect.any(String) });
});

test("a replay after the session expired still revokes it once; an unknown token revokes nothing", async () => {
  const username = await newAccount();
  const pair = await auth.useCases.login({ username, password: PASSWORD, origin });
  await auth.useCases.refreshToken(pair.refresh, client);
  await auth.sql(
    "update auth_session set expires_at = now() - interval '1 second' where user_id = (select id from app_user where username = ?)",
    [username],
  );
  const before = (await sessionRevokedReasons()).length;
  await expect(auth.useCases.refreshToken(pair.refresh, client)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  await expect(auth.useCases.refreshToken(pair.refresh, client)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(await sessionRevokedReasons()).toHaveLength(before + 1);
});

test("of parallel refreshes of one token exactly one rotates", async () => {
  const username = await newAccount();
  const pair = await auth.useCases.login({ username, password: PASSWORD, origin });
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => auth.useCases.refreshToken(pair.refresh, client)));
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
});
