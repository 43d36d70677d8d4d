// PostgreSQL stopped and started under load: registrations keep coming (several a second) while the database
// goes away and comes back. Every answer is 201 or 503 UNAVAILABLE with retry-after, never 500; afterwards
// every user answered 201 can log in, and every user answered 503 either does not exist or exists whole (it
// can log in): nothing is half-written. The test owns its PostgreSQL (scripts/components/postgres.sh on a port
// and folder of its own), so stopping it disturbs nobody.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { jest } from "@jest/globals";

jest.setTimeout(240_000);

const root = path.resolve(import.meta.dirname, "../..");
const port = process.env.OUTAGE_POSTGRES_PORT ?? "18210";
const dataDir = mkdtempSync(path.join(tmpdir(), "identity-pg-outage-"));
const pgEnv = { ...process.env, POSTGRES_PORT: port, POSTGRES_DATA_DIR: dataDir };

function postgres(command: "start" | "stop"): void {
  const run = spawnSync("bash", [path.join(root, "scripts/components/postgres.sh"), command], {
    env: pgEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`postgres.sh ${command} failed:\n${run.stdout}${run.stderr}`);
}

// biome-ignore lint/suspicious/noExplicitAny: the harness module is imported after the URL is set.
let harness: any;

beforeAll(async () => {
  postgres("start");
  // The test database helpers read this when first imported: point them at this test's own instance.
  process.env.TEST_POSTGRES_URL = `postgres://identity:identity@127.0.0.1:${port}/postgres`;
  const { startAuth } = await import("../../services/auth/test/support.ts");
  harness = await startAuth({ REGISTRATIONS_PER_CLIENT_LIMIT: "100000" });
}, 180_000);

afterAll(async () => {
  // The whole instance is thrown away below: closing the service is bounded, not waited for (its pool may
  // still hold a connection the restart broke).
  await Promise.race([harness?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000).unref())]);
  try {
    postgres("stop");
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const PASSWORD = "correct horse battery staple 42";
let n = 0;

async function register(): Promise<{ username: string; status: "created" | "unavailable" | "other"; detail: string }> {
  n += 1;
  const username = `outage${Date.now().toString(36)}${n}`;
  try {
    await harness.client(AuthService).register({ username, email: `${username}@example.com`, password: PASSWORD });
    return { username, status: "created", detail: "" };
  } catch (err) {
    const e = ConnectError.from(err);
    const ok = e.code === Code.Unavailable && Number(e.metadata.get("retry-after")) > 0;
    return { username, status: ok ? "unavailable" : "other", detail: `${Code[e.code]} ${e.rawMessage}` };
  }
}

test("a database restart under load gives 503 with retry-after, never 500, and loses nothing", async () => {
  const results: Awaited<ReturnType<typeof register>>[] = [];
  let running = true;
  const load = (async () => {
    while (running) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => register()));
      results.push(...batch);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await new Promise((r) => setTimeout(r, 1500));
  postgres("stop");
  await new Promise((r) => setTimeout(r, 2000));
  postgres("start");
  // Load goes on until registrations succeed again (the pool reconnects by itself).
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !results.slice(-4).every((r) => r.status === "created")) await new Promise((r) => setTimeout(r, 250));
  running = false;
  await load;

  const other = results.filter((r) => r.status === "other");
  expect(other.map((r) => r.detail)).toEqual([]);
  expect(results.filter((r) => r.status === "unavailable").length).toBeGreaterThan(0);
  expect(results.slice(-4).every((r) => r.status === "created")).toBe(true);

  for (const r of results) {
    let loggedIn = true;
    try {
      await harness.client(AuthService).login({ username: r.username, password: PASSWORD });
    } catch (err) {
      const e = ConnectError.from(err);
      // A 503'd registration that never committed: the account does not exist (wrong credentials).
      expect([r.username, r.status, e.code]).toEqual([r.username, "unavailable", Code.Unauthenticated]);
      loggedIn = false;
    }
    if (r.status === "created") expect([r.username, loggedIn]).toEqual([r.username, true]);
  }
});
