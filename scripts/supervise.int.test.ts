// The stack's process supervisor (scripts/lib/supervise.sh), on a stand-in command: a child that dies is
// started again with a log line; SIGTERM to the supervisor stops the child and itself; a first start that
// fails by itself is reported (its exit code), not retried.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const script = path.resolve(import.meta.dirname, "lib/supervise.sh");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "supervise-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function supervise(command: string[]): { child: ChildProcess; out: () => string; pidFile: string } {
  const pidFile = path.join(dir, "child.pid");
  const child = spawn("bash", [script, "demo-1", pidFile, "--", ...command], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout?.on("data", (c: Buffer) => {
    text += c.toString("utf8");
  });
  return { child, out: () => text, pidFile };
}

const childPid = (pidFile: string): number | undefined => {
  try {
    return Number(readFileSync(pidFile, "utf8").trim()) || undefined;
  } catch {
    return undefined;
  }
};

async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("a child killed with SIGKILL is started again after a back-off, with a log line; SIGTERM stops both", async () => {
  const s = supervise(["sleep", "60"]);
  const first = await until(() => childPid(s.pidFile));
  process.kill(first, "SIGKILL");
  const second = await until(() => {
    const pid = childPid(s.pidFile);
    return pid !== undefined && pid !== first ? pid : undefined;
  });
  expect(alive(second)).toBe(true);
  const line = JSON.parse(
    s
      .out()
      .split("\n")
      .find((l) => l.includes("restarting")) ?? "{}",
  );
  expect(line).toMatchObject({ level: 40, service: "supervisor", instance: "demo-1" });
  expect(line.msg).toMatch(/^demo-1 \(pid \d+\) exited with code 137 after \d+s; restarting in 1s/);

  s.child.kill("SIGTERM");
  const [code] = await once(s.child, "exit");
  expect(code).toBe(0);
  expect(alive(second)).toBe(false);
  expect(s.out()).toMatch(/"msg":"demo-1 stopped"/);
}, 30_000);

test("a first start that fails by itself is not retried: the supervisor exits with its code", async () => {
  const s = supervise(["bash", "-c", "exit 3"]);
  const [code] = await once(s.child, "exit");
  expect(code).toBe(3);
  expect(s.out()).toMatch(/exited with code 3 .* after its first start: not restarting/);
}, 30_000);
