// The platform against the service it replaces, side by side in one run: the original DRF service (its
// gunicorn workers) and the stack behind Envoy, the same REST flows driven by wrk, the two sides alternating
// flow by flow over the rounds (the order flips every round). Prints one table with both sides, the ratios
// (median of the rounds' ratios) and the goals of issue "performance", and exits 1 when a goal is missed.
//
// Started by scripts/bench-vs-drf.sh (`npm run bench:vs-drf`), which installs and starts both systems:
//   DRF_URL (the original), GATEWAY_URL (Envoy), BENCH_SECONDS=10 per phase, BENCH_ROUNDS=3,
//   BENCH_CONNECTIONS=16 (reads, refresh), BENCH_LOGIN_CONNECTIONS=8, BENCH_EMBEDDED=1 (then stops the stack
//   and measures `npm start`'s memory idle and after the contract suite; 0 skips it), BENCH_IDLE_SECONDS=20.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PASSWORD } from "../../test/stack/support/rest.ts";
import { type EmbeddedMemory, measureEmbedded } from "./embedded-memory.ts";
import { cpuSeconds, rssSampler, totalCpu, type Watched } from "./processes.ts";
import { drfSide, type Side, stackSide } from "./sides.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const LOGIN_CONNECTIONS = Number(process.env.BENCH_LOGIN_CONNECTIONS ?? 8);
const EMBEDDED = process.env.BENCH_EMBEDDED !== "0";
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const FRIENDS = 10;
const drfUrl = (process.env.DRF_URL ?? "http://127.0.0.1:8001").replace(/\/$/, "");
const gatewayUrl = (process.env.GATEWAY_URL ?? "http://localhost:8080").replace(/\/$/, "");
const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const stackDir = join(repoRoot, ".data/stack");
const drfWorkers = process.env.DRF_WORKERS ?? "2";

const GOALS = {
  readRatio: 2,
  refreshPerSecond: 1000,
  loginVsRaw: 0.9,
  readsUnderLogin: 0.4,
  cpuPerProfileUs: 250,
  serviceRssMb: 150,
  embeddedRssMb: 400,
};

function log(message: string): void {
  console.error(`bench/vs-drf: ${message}`);
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
}

function stackProcesses(): Watched[] {
  const watched: Watched[] = [];
  for (const svc of ["auth", "profile", "friendship"]) {
    for (let k = 1; k <= 9; k++) {
      // <svc>-<k>.pid is the instance's supervisor (a shell); the node process is in <svc>-<k>.node.pid.
      const pid = readPid(join(stackDir, `${svc}-${k}.node.pid`));
      if (pid) watched.push({ label: `${svc}-${k}`, pid });
    }
  }
  const envoy = readPid(join(stackDir, "envoy/envoy.pid"));
  if (envoy) watched.push({ label: "envoy", pid: envoy });
  if (!watched.some((w) => w.label.startsWith("profile-")) || !envoy)
    throw new Error("the stack is not running (no pid files in .data/stack)");
  return watched;
}

type Flow = "profile" | "friendships" | "refresh" | "login";
const FLOWS: Flow[] = ["profile", "friendships", "refresh", "login"];

interface Tally {
  results: WrkResult[];
}
const tallies = new Map<string, Tally>();
const record = (key: string, result: WrkResult) => {
  const t = tallies.get(key) ?? { results: [] };
  t.results.push(result);
  tallies.set(key, t);
};

const tokensDir = mkdtempSync(join(tmpdir(), "bench-vs-drf-"));

async function runFlow(side: Side, flow: Flow): Promise<WrkResult> {
  switch (flow) {
    case "profile":
    case "friendships": {
      const path = flow === "profile" ? "/api/profiles/me/" : "/api/friendships/";
      return runWrk({
        url: side.url + path,
        script: "get",
        seconds: SECONDS,
        connections: CONNECTIONS,
        env: { BENCH_TOKEN: await side.freshAccess() },
      });
    }
    case "refresh": {
      if (side.name === "drf") {
        // SimpleJWT's default: no rotation, the same refresh token again and again.
        const [token] = await side.refreshTokens(1);
        return runWrk({
          url: `${side.url}/api/auth/refresh/`,
          script: "post-json",
          seconds: SECONDS,
          connections: CONNECTIONS,
          env: { BENCH_BODY: JSON.stringify({ refresh: token }) },
        });
      }
      const file = join(tokensDir, "refresh-tokens");
      writeFileSync(file, (await side.refreshTokens(CONNECTIONS * 3)).join("\n"));
      return runWrk({
        url: `${side.url}/api/auth/refresh/`,
        script: "refresh-rotating",
        seconds: SECONDS,
        connections: CONNECTIONS,
        env: { BENCH_TOKENS_FILE: file },
      });
    }
    case "login":
      return runWrk({
        url: `${side.url}/api/auth/login/`,
        script: "post-json",
        seconds: SECONDS,
        connections: LOGIN_CONNECTIONS,
        env: { BENCH_BODY: JSON.stringify({ username: side.reader.username, password: PASSWORD }) },
      });
  }
}

function rawArgon2(seconds: number): Promise<number> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("./raw-argon2.ts", import.meta.url)), String(seconds)], {
      env: { ...process.env, UV_THREADPOOL_SIZE: String(availableParallelism()) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.on("close", (code) =>
      code === 0 ? done((JSON.parse(out) as { perSecond: number }).perSecond) : reject(new Error("raw-argon2 failed")),
    );
  });
}

async function main(): Promise<number> {
  const watched = stackProcesses();
  const profilePids = watched.filter((w) => w.label.startsWith("profile-")).map((w) => w.pid);
  const envoyPid = watched.find((w) => w.label === "envoy")?.pid as number;
  const replicas = profilePids.length;
  log(`creating users (${FRIENDS} friendships each) on the original (${drfUrl}) and the platform (${gatewayUrl})`);
  const drf = await drfSide(drfUrl, FRIENDS);
  const stack = await stackSide(gatewayUrl, "127.0.0.1", FRIENDS);
  const load1 = loadavg()[0] ?? 0;

  const memory = rssSampler(watched);
  let stackLoadSeconds = 0;
  let profileCpu = 0;
  let envoyCpuForProfile = 0;
  let profileRequests = 0;
  const raw: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? [drf, stack] : [stack, drf];
    for (const flow of FLOWS) {
      for (const side of order) {
        const cpu0 = side === stack && flow === "profile" ? [totalCpu(profilePids), cpuSeconds(envoyPid)] : undefined;
        const result = await runFlow(side, flow);
        if (cpu0) {
          profileCpu += totalCpu(profilePids) - (cpu0[0] as number);
          envoyCpuForProfile += cpuSeconds(envoyPid) - (cpu0[1] as number);
          profileRequests += result.requests;
        }
        if (side === stack) stackLoadSeconds += result.seconds;
        record(`${side.name}:${flow}`, result);
        log(
          `round ${round} ${side.name} ${flow}: ${result.rps.toFixed(0)}/s p99 ${result.p99Ms.toFixed(1)} ms${result.failures ? ` (${result.failures} failed)` : ""}`,
        );
      }
    }
    raw.push(await rawArgon2(SECONDS));
    log(`round ${round} raw Argon2id: ${raw.at(-1)?.toFixed(1)}/s`);
    // Profile reads while logins keep the hash pool busy, on the platform.
    const token = await stack.freshAccess();
    const [reads, logins] = await Promise.all([
      runWrk({
        url: `${gatewayUrl}/api/profiles/me/`,
        script: "get",
        seconds: SECONDS,
        connections: CONNECTIONS,
        env: { BENCH_TOKEN: token },
      }),
      runFlow(stack, "login"),
    ]);
    stackLoadSeconds += reads.seconds;
    record("stack:profile-under-login", reads);
    record("stack:login-under-reads", logins);
    log(`round ${round} stack profile while logging in: ${reads.rps.toFixed(0)}/s (logins ${logins.rps.toFixed(0)}/s)`);
  }
  const rssAfterLoad = memory.now();
  const pssAfterLoad = memory.pssNow();
  memory.stop();
  rmSync(tokensDir, { recursive: true, force: true });

  let embedded: EmbeddedMemory | undefined;
  if (EMBEDDED) {
    log("stopping the stack, then measuring npm start (idle, then the contract suite against it)");
    execFileSync("bash", ["scripts/stack.sh", "down"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
    embedded = await measureEmbedded(repoRoot, IDLE_SECONDS);
  }
  return report({
    replicas,
    load1,
    raw,
    profileCpu,
    envoyCpuForProfile,
    profileRequests,
    stackLoadSeconds,
    rssAfterLoad,
    pssAfterLoad,
    rssPeak: memory.peak,
    embedded,
  });
}

interface Figures {
  replicas: number;
  load1: number;
  raw: number[];
  profileCpu: number;
  envoyCpuForProfile: number;
  profileRequests: number;
  stackLoadSeconds: number;
  rssAfterLoad: Map<string, number>;
  pssAfterLoad: Map<string, number>;
  rssPeak: Map<string, number>;
  embedded: EmbeddedMemory | undefined;
}

function mean(key: string): { rps: number; p99: number; failures: number; perRound: number[] } {
  const results = tallies.get(key)?.results ?? [];
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  return {
    rps: requests / seconds,
    p99: median(results.map((r) => r.p99Ms)),
    failures: results.reduce((n, r) => n + r.failures, 0),
    perRound: results.map((r) => r.rps),
  };
}

function report(f: Figures): number {
  const rows: string[] = [];
  const missed: string[] = [];
  const verdict = (ok: boolean, what: string) => {
    if (!ok) missed.push(what);
    return ok ? "met" : "**missed**";
  };
  const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  rows.push(
    `| flow | original DRF (${drfWorkers} workers): req/s | p99 ms | platform via Envoy (${f.replicas} ${f.replicas === 1 ? "replica" : "replicas"}): req/s | p99 ms | ratio (median of rounds) | goal | |`,
  );
  rows.push("|---|---|---|---|---|---|---|---|");
  for (const flow of FLOWS) {
    const d = mean(`drf:${flow}`);
    const s = mean(`stack:${flow}`);
    const ratios = s.perRound.map((v, i) => v / (d.perRound[i] ?? Number.NaN));
    const ratio = median(ratios);
    let goal = "";
    let ok = true;
    if (flow === "profile" || flow === "friendships") {
      goal = `>= ${GOALS.readRatio}x`;
      ok = ratio >= GOALS.readRatio;
    } else if (flow === "refresh") {
      goal = `>= ${fmt(GOALS.refreshPerSecond)}/s (rotating) and >= the original (not rotating)`;
      ok = s.rps >= GOALS.refreshPerSecond && ratio >= 1;
    } else {
      goal = "see login vs raw Argon2id";
    }
    if (s.failures || d.failures) {
      ok = false;
      goal += ` (failed answers: original ${d.failures}, platform ${s.failures})`;
    }
    const label = {
      profile: "GET /api/profiles/me/",
      friendships: `GET /api/friendships/ (${FRIENDS} friendships)`,
      refresh: "POST /api/auth/refresh/",
      login: `POST /api/auth/login/ (${LOGIN_CONNECTIONS} connections)`,
    }[flow];
    rows.push(
      `| ${label} | ${fmt(d.rps)} | ${fmt(d.p99, 1)} | ${fmt(s.rps)} | ${fmt(s.p99, 1)} | ${fmt(ratio, 2)} | ${goal} | ${flow === "login" ? "" : verdict(ok, flow)} |`,
    );
  }
  const logins = mean("stack:login").perRound;
  const loginVsRaw = median(logins.map((l, i) => l / (f.raw[i] ?? Number.NaN)));
  rows.push(
    `| login vs raw Argon2id verifications/s (${fmt(median(f.raw), 1)}/s) | | | ${fmt(mean("stack:login").rps, 1)}/s | | ${fmt(loginVsRaw, 2)} | >= ${GOALS.loginVsRaw} | ${verdict(loginVsRaw >= GOALS.loginVsRaw, "login vs raw")} |`,
  );
  const under = mean("stack:profile-under-login").perRound;
  const unloaded = mean("stack:profile").perRound;
  const keep = median(under.map((u, i) => u / (unloaded[i] ?? Number.NaN)));
  rows.push(
    `| profile reads while logins saturate the hash pool (${fmt(mean("stack:login-under-reads").rps, 1)} logins/s) | | | ${fmt(mean("stack:profile-under-login").rps)} | ${fmt(mean("stack:profile-under-login").p99, 1)} | ${fmt(keep, 2)} of unloaded | >= ${GOALS.readsUnderLogin} | ${verdict(keep >= GOALS.readsUnderLogin, "reads under login")} |`,
  );
  const cpuUs = (f.profileCpu / f.profileRequests) * 1e6;
  const envoyUs = (f.envoyCpuForProfile / f.profileRequests) * 1e6;
  rows.push(
    `| CPU per GetMyProfile: profile service (all replicas) / Envoy | | | ${fmt(cpuUs)} µs / ${fmt(envoyUs)} µs | | | profile <= ${GOALS.cpuPerProfileUs} µs | ${verdict(cpuUs <= GOALS.cpuPerProfileUs, "CPU per GetMyProfile")} |`,
  );
  for (const [label, mb] of f.rssAfterLoad) {
    const ok = label === "envoy" || mb <= GOALS.serviceRssMb;
    rows.push(
      `| RSS ${label} after ${fmt(f.stackLoadSeconds)} s of load (peak; PSS) | | | ${fmt(mb)} MB (${fmt(f.rssPeak.get(label) ?? 0)}; ${fmt(f.pssAfterLoad.get(label) ?? 0)}) | | | ${label === "envoy" ? "(reported)" : `<= ${GOALS.serviceRssMb} MB`} | ${label === "envoy" ? "" : verdict(ok, `RSS ${label}`)} |`,
    );
  }
  if (f.embedded) {
    const e = f.embedded;
    rows.push(
      `| RSS npm start idle | | | ${fmt(e.idleMb)} MB | | | <= ${GOALS.embeddedRssMb} MB | ${verdict(e.idleMb <= GOALS.embeddedRssMb, "npm start idle")} |`,
    );
    rows.push(
      `| RSS npm start after the contract suite (${e.suitePassed ? "passed" : "FAILED"}, ${fmt(e.suiteSeconds)} s; peak) | | | ${fmt(e.afterSuiteMb)} MB (${fmt(e.peakMb)}) | | | <= ${GOALS.embeddedRssMb} MB | ${verdict(e.afterSuiteMb <= GOALS.embeddedRssMb && e.suitePassed, "npm start after the suite")} |`,
    );
  }
  console.log(rows.join("\n"));
  console.log(
    `\n${ROUNDS} rounds of ${SECONDS} s per side and flow, wrk ${CONNECTIONS} connections (login ${LOGIN_CONNECTIONS}); ` +
      `${availableParallelism()} CPUs, load average ${f.load1.toFixed(1)} before the run.`,
  );
  console.log(missed.length ? `goals missed: ${missed.join(", ")}` : "every goal met");
  return missed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(err.stack ?? err.message);
    process.exit(2);
  },
);
