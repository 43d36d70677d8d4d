// `npm start`'s embedded databases (PGlite) as the import's target: through the running platform (its
// published database URLs), and, with the platform stopped, opened by the importer itself.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { embeddedOptionsFromEnv } from "@identity/gateway/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "@identity/gateway/embedded/platform.ts";
import { silentLogger } from "@identity/shared/logger.ts";
import { jest } from "@jest/globals";
import { restClient } from "../../../gateway/test/contract/rest-client.ts";
import { createDrfSource, type DrfSource } from "./drf-source.ts";
import { runImporter } from "./run-importer.ts";

jest.setTimeout(300_000);

let source: DrfSource;
let dataDir: string;
let platform: EmbeddedPlatform | undefined;

const startPlatform = () =>
  startEmbeddedPlatform(embeddedOptionsFromEnv({ ENVIRONMENT: "dev", EMBEDDED_DATA_DIR: dataDir, GATEWAY_LISTEN: "127.0.0.1:0" }), {
    env: { ENVIRONMENT: "dev" },
    logger: () => silentLogger(),
  });

beforeAll(async () => {
  source = await createDrfSource("import_embedded");
  dataDir = mkdtempSync(path.join(tmpdir(), "import-embedded-"));
});
afterAll(async () => {
  await platform?.stop();
  await source?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("into the running platform, then into its stopped databases: both users log in after a restart", async () => {
  source.seed({ users: [{ username: "ann", email: "ann@example.com", password: "pw-of-ann-1", bio: "Hello." }] });
  platform = await startPlatform();
  const live = await runImporter(["--from", source.url, "--data-dir", dataDir]);
  expect(live.code).toBe(0);
  expect(live.stdout).toContain("the running embedded platform");
  expect(live.summary).toMatchObject({ imported: { users: 1, friendships: 0 } });
  const rest = restClient(platform.url);
  const ann = await rest.post("/api/auth/login/", { username: "ann", password: "pw-of-ann-1" });
  expect(ann.status).toBe(200);
  expect((await rest.get("/api/profiles/me/", { token: ann.body.access })).body).toMatchObject({ bio: "Hello." });
  await platform.stop();
  platform = undefined;

  source.seed({
    users: [{ username: "ben", email: "ben@example.com", password: "pw-of-ben-1", hasher: "argon2" }],
    friendships: [{ requester: "ben", addressee: "ann", status: "accepted" }],
  });
  const stopped = await runImporter(["--from", source.url, "--data-dir", dataDir]);
  expect(stopped.code).toBe(0);
  expect(stopped.stdout).toContain("platform stopped");
  expect(stopped.summary).toMatchObject({ imported: { users: 1, friendships: 1 }, alreadyThere: { users: 1 } });

  platform = await startPlatform();
  const again = restClient(platform.url);
  const ben = await again.post("/api/auth/login/", { username: "ben", password: "pw-of-ben-1" });
  expect(ben.status).toBe(200);
  expect((await again.post("/api/auth/login/", { username: "ann", password: "pw-of-ann-1" })).status).toBe(200);
  const friends = await again.get("/api/friendships/", { token: ben.body.access });
  expect(friends.body.friendships).toEqual([
    expect.objectContaining({
      status: "accepted",
      requester: expect.objectContaining({ username: "ben" }),
      addressee: expect.objectContaining({ username: "ann" }),
    }),
  ]);
});

test("npm start does not open databases another live process holds (an import), and ignores a dead holder's file", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "import-held-"));
  const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
  try {
    const file = path.join(dir, "databases.json");
    writeFileSync(file, JSON.stringify({ pid: holder.pid, holder: "import", databases: {} }));
    const options = embeddedOptionsFromEnv({ ENVIRONMENT: "dev", EMBEDDED_DATA_DIR: dir, GATEWAY_LISTEN: "127.0.0.1:0" });
    await expect(startEmbeddedPlatform(options, { env: { ENVIRONMENT: "dev" }, logger: () => silentLogger() })).rejects.toThrow(
      `in use by process ${holder.pid} (import)`,
    );
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    const started = await startEmbeddedPlatform(options, { env: { ENVIRONMENT: "dev" }, logger: () => silentLogger() });
    await started.stop();
  } finally {
    holder.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
