// The embedded platform is one process: a clean stop (what SIGTERM does in main.ts) must finish the requests
// in flight and hand every event they caused to its consumers before the databases close, so nothing is left
// half done on disk. Checked by reading the databases directly after the stop.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "@identity/shared/orm/embedded-database.ts";
import { jest } from "@jest/globals";
import pg from "pg";
import { PASSWORD, restClient, uniqueName } from "../contract/rest-client.ts";
import { startTestPlatform } from "../support/test-platform.ts";

jest.setTimeout(120_000);

/** A query on the platform's databases (one PGlite, a schema per service), opened once the platform has stopped. */
async function query<T>(platformDir: string, sql: string, params: unknown[]): Promise<T[]> {
  const db = await startEmbeddedDatabase({ dataDir: path.join(platformDir, "postgres") });
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
    await db.close();
  }
}

test("stop() answers the registrations in flight, then flushes every outbox to the consumers before closing", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "embedded-stop-"));
  try {
    const platform = await startTestPlatform({ EMBEDDED_DATA_DIR: dir, RATE_LIMIT_AUTH_REQUESTS: "1000" });
    const api = restClient(platform.url);
    const names = Array.from({ length: 6 }, () => uniqueName("drain"));
    const answers = names.map((username) =>
      api.post("/api/auth/register/", { username, email: `${username}@example.com`, password: PASSWORD, first_name: "Drained" }),
    );
    // Stop once all of them are in the auth service (argon2 alone takes tens of milliseconds each). A
    // connection still in the listener's backlog would be refused: it never reached the platform.
    const auth = platform.services.get("auth");
    while ((auth?.drain.inFlight ?? 0) < names.length) await new Promise((r) => setTimeout(r, 2));
    const stopped = platform.stop();
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    await stopped;
    expect(statuses).toEqual(names.map(() => 201));

    const users = await query<{ id: string }>(dir, "select id from auth.app_user where username = any($1)", [names]);
    expect(users).toHaveLength(names.length);
    const unpublished = await query<{ n: number }>(dir, "select count(*)::int as n from auth.outbox_event where published_at is null", []);
    expect(unpublished[0]?.n).toBe(0);
    // The profile service consumed every user.registered (the profile carries the name from the event).
    const profiles = await query<{ first_name: string }>(dir, "select first_name from profile.profile where user_id = any($1)", [
      users.map((u) => u.id),
    ]);
    expect(profiles.map((p) => p.first_name)).toEqual(names.map(() => "Drained"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
