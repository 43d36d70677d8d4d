// Runs wrk (Debian's package) with one of the flow scripts in lua/ and reads the figures it reports.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const luaDir = fileURLToPath(new URL("./lua", import.meta.url));

export interface WrkRun {
  url: string;
  script: "get" | "post-json" | "refresh-rotating";
  seconds: number;
  connections: number;
  env?: Record<string, string>;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Answers that were not 2xx/3xx, and connection errors and timeouts. */
  failures: number;
  p50Ms: number;
  p99Ms: number;
}

export const WRK_THREADS = 2;

export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = [
    `-t${Math.min(WRK_THREADS, run.connections)}`,
    `-c${run.connections}`,
    `-d${run.seconds}s`,
    "--timeout",
    "10s",
    "-s",
    `${luaDir}/${run.script}.lua`,
    run.url,
  ];
  const env = { ...process.env, ...run.env, BENCH_LUA_DIR: luaDir, BENCH_THREADS: String(Math.min(WRK_THREADS, run.connections)) };
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.on("error", (err) => reject(new Error(`wrk could not run (${err.message}): install Debian's wrk package`)));
    child.on("close", (code) => {
      const line = /BENCH_RESULT (\{.*\})/.exec(out)?.[1];
      if (code !== 0 || !line) return reject(new Error(`wrk ${args.join(" ")} failed (exit ${code}):\n${out.slice(-2000)}`));
      const r = JSON.parse(line) as {
        requests: number;
        durationUs: number;
        non2xx: number;
        socketErrors: number;
        p50Us: number;
        p99Us: number;
      };
      const seconds = r.durationUs / 1e6;
      resolve({
        requests: r.requests,
        seconds,
        rps: r.requests / seconds,
        failures: r.non2xx + r.socketErrors,
        p50Ms: r.p50Us / 1000,
        p99Ms: r.p99Us / 1000,
      });
    });
  });
}
