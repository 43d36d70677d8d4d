// `npm start`'s memory: the embedded platform (one Node process) idle, then after the contract suite has
// run against it. RSS sampled every second; the suite's duration and result are reported beside it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rssMb, rssSampler } from "./processes.ts";

export interface EmbeddedMemory {
  idleMb: number;
  afterSuiteMb: number;
  peakMb: number;
  suitePassed: boolean;
  suiteSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`npm start was not ready within ${timeoutMs / 1000} s`);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

export async function measureEmbedded(repoRoot: string, idleSeconds: number): Promise<EmbeddedMemory> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-embedded-"));
  const url = "http://127.0.0.1:8080";
  // start.sh execs node: the child's pid is the platform's process once it runs.
  // The attack suite expects the per-client login limit that npm test gives both sides (scripts/test.sh).
  const clientLimit = { LOGIN_FAILURES_PER_CLIENT_LIMIT: process.env.LOGIN_FAILURES_PER_CLIENT_LIMIT ?? "30" };
  const child = spawn("bash", ["scripts/start.sh"], {
    cwd: repoRoot,
    env: { ...process.env, ...clientLimit, EMBEDDED_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitReady(url, child, 180_000);
    const pid = child.pid as number;
    const sampler = rssSampler([{ label: "npm start", pid }]);
    await sleep(idleSeconds * 1000);
    const idleMb = rssMb(pid);
    const started = performance.now();
    const code = await run(
      process.execPath,
      [join(repoRoot, "node_modules/.bin/jest"), "--selectProjects", "contract", "--silent"],
      repoRoot,
      {
        ...process.env,
        ...clientLimit,
        GATEWAY_URL: url,
        NODE_OPTIONS: "--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning",
      },
    );
    const suiteSeconds = (performance.now() - started) / 1000;
    await sleep(2000);
    const afterSuiteMb = rssMb(pid);
    sampler.stop();
    return { idleMb, afterSuiteMb, peakMb: sampler.peak.get("npm start") ?? 0, suitePassed: code === 0, suiteSeconds };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("close", r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
