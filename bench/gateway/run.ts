// What the gateway costs: GET /api/profiles/me/ through Envoy (REST over HTTP/1.1 keep-alive: JWT check,
// rate limit, Lua, JSON transcoding, HTTP/2 + mutual TLS upstream, and the service) against the same RPC
// called directly on the profile service (Connect protocol, HTTP/2 over mutual TLS with Envoy's client
// certificate, spread over every profile replica like Envoy does). Same user, same token, same concurrency,
// same duration; phases alternate ABBA over the rounds. Prints requests/s, p50/p99 and the ratio
// Envoy/direct (goal >= 0.5; the median of the rounds' ratios decides).
//
// Needs the running stack, with a default rate limit the benchmark cannot reach (the default of 600 requests
// a minute per client would answer 429 within a second):
//   RATE_LIMIT_DEFAULT_REQUESTS=10000000 STACK_REPLICAS=2 bash scripts/stack.sh up
//   source scripts/lib/node.sh && node bench/gateway/run.ts
//   BENCH_SECONDS=8 (per phase), BENCH_ROUNDS=4, BENCH_CONCURRENCY=16, GATEWAY_URL=http://localhost:8080;
//   exit code 1 if the median ratio misses the goal, 2 if the stack is not usable.
import { readFileSync } from "node:fs";
import http from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const GOAL = 0.5;
const gateway = new URL(process.env.GATEWAY_URL ?? "http://localhost:8080");
const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const certsDir = process.env.CERTS_DIR ?? join(repoRoot, ".data/certs");
const PROFILE_RPC_PORT = 50052;
const PROFILE_OPS_PORT = 9102;
const REPLICA_STEP = 100;
// The AuthService routes are limited per client address: register from an address of our own.
const SOURCE_ADDRESS = "127.0.0.31";

function fail(message: string): never {
  console.error(`bench/gateway: ${message}`);
  process.exit(2);
}

interface Answer {
  status: number;
  body: string;
}

function httpRequest(agent: http.Agent, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((done, reject) => {
    const req = http.request({ host: gateway.hostname, port: gateway.port || 80, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function registerUser(): Promise<{ userId: string; access: string }> {
  const agent = new http.Agent({ keepAlive: false, localAddress: SOURCE_ADDRESS } as http.AgentOptions);
  const username = `bench_gw_${Date.now().toString(36)}`;
  const body = JSON.stringify({ username, email: `${username}@example.com`, password: "bench: a quiet lighthouse 7" });
  const answer = await httpRequest(agent, "POST", "/api/auth/register/", { "content-type": "application/json" }, body).catch((e: Error) =>
    fail(`${gateway.origin} does not answer (${e.message}): start the stack first (see the header of this file)`),
  );
  if (answer.status !== 201) fail(`register answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  const parsed = JSON.parse(answer.body) as { user: { id: string }; access: string };
  return { userId: parsed.user.id, access: parsed.access };
}

async function profileReplicaPorts(): Promise<number[]> {
  const ports: number[] = [];
  for (let k = 0; k < 9; k++) {
    const ready = await fetch(`http://127.0.0.1:${PROFILE_OPS_PORT + REPLICA_STEP * k}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!ready) break;
    ports.push(PROFILE_RPC_PORT + REPLICA_STEP * k);
  }
  if (ports.length === 0) fail("no profile replica answers /readyz on 127.0.0.1:9102: start the stack first");
  return ports;
}

interface PhaseResult {
  requests: number;
  seconds: number;
  latenciesMs: number[];
}

/** `CONCURRENCY` loops calling `op` until the deadline; every call must succeed. */
async function phase(seconds: number, op: () => Promise<void>): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op();
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(results: PhaseResult[]) {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const sorted = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return { requests, rps: requests / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const upper = s[mid] ?? Number.NaN;
  return s.length % 2 ? upper : ((s[mid - 1] ?? Number.NaN) + upper) / 2;
}

async function main() {
  const { userId, access } = await registerUser();
  const authorization = `Bearer ${access}`;

  // Through Envoy: REST, HTTP/1.1 keep-alive, one connection per loop.
  const envoyAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const viaEnvoy = async () => {
    const answer = await httpRequest(envoyAgent, "GET", "/api/profiles/me/", { authorization });
    if (answer.status !== 200) {
      const hint = answer.status === 429 ? " (rate limited: start the stack with RATE_LIMIT_DEFAULT_REQUESTS=10000000)" : "";
      fail(`GET /api/profiles/me/ through Envoy answered ${answer.status}${hint}: ${answer.body.slice(0, 200)}`);
    }
  };

  // Direct: Connect over HTTP/2 with mutual TLS, one client per replica, calls spread round-robin.
  const ports = await profileReplicaPorts();
  const tls = {
    ca: readFileSync(join(certsDir, "ca.crt")),
    cert: readFileSync(join(certsDir, "envoy.crt")),
    key: readFileSync(join(certsDir, "envoy.key")),
    servername: "profile.identity.internal",
  };
  const direct = ports.map((port) =>
    createClient(ProfileService, createConnectTransport({ baseUrl: `https://127.0.0.1:${port}`, httpVersion: "2", nodeOptions: tls })),
  );
  let next = 0;
  const directly = async () => {
    const client = direct[next++ % direct.length] as (typeof direct)[number];
    const answer = await client.getMyProfile({}, { headers: { authorization } });
    if (answer.profile?.userId !== userId) fail("the direct call answered another profile");
  };

  console.log(
    `bench/gateway: GET /api/profiles/me/ via Envoy (${gateway.origin}, REST/HTTP 1.1 keep-alive) vs Connect direct over HTTP/2 + mTLS to ${ports.length} profile replica(s); concurrency ${CONCURRENCY}, ${SECONDS} s per phase, ${ROUNDS} round(s)`,
  );
  await phase(1, viaEnvoy); // warm-up: connections, JWKS cache, JIT
  await phase(1, directly);

  const results = { envoy: [] as PhaseResult[], direct: [] as PhaseResult[] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (["envoy", "direct"] as const) : (["direct", "envoy"] as const);
    const got: Partial<Record<"envoy" | "direct", PhaseResult>> = {};
    for (const side of order) got[side] = await phase(SECONDS, side === "envoy" ? viaEnvoy : directly);
    const [e, d] = [got.envoy as PhaseResult, got.direct as PhaseResult];
    results.envoy.push(e);
    results.direct.push(d);
    const ratio = e.requests / e.seconds / (d.requests / d.seconds);
    ratios.push(ratio);
    console.log(
      `round ${round + 1}: envoy ${(e.requests / e.seconds).toFixed(0)}/s, direct ${(d.requests / d.seconds).toFixed(0)}/s, ratio ${ratio.toFixed(2)}`,
    );
  }
  envoyAgent.destroy();

  const rows = { "via Envoy (REST)": summary(results.envoy), "direct (Connect, mTLS)": summary(results.direct) };
  console.log("\n| path | requests | requests/s | p50 ms | p99 ms |\n|---|---|---|---|---|");
  for (const [name, s] of Object.entries(rows)) {
    console.log(`| ${name} | ${s.requests} | ${s.rps.toFixed(0)} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} |`);
  }
  const verdict = median(ratios);
  console.log(
    `\nratio Envoy/direct (median of rounds ${ratios.map((r) => r.toFixed(2)).join(", ")}): ${verdict.toFixed(2)} (goal >= ${GOAL}) ${verdict >= GOAL ? "met" : "MISSED"}`,
  );
  process.exit(verdict >= GOAL ? 0 : 1);
}

await main();
