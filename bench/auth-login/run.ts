// Login throughput against the real auth service versus raw Argon2id verifications, on this machine.
//   node bench/auth-login/run.ts            (BENCH_SECONDS=10 per phase, BENCH_ROUNDS=2 by default)
// The service runs as its own process (services/auth/src/main.ts) on a fresh PostgreSQL database (the
// project's, port 55432); this process drives concurrent Login RPCs over Connect on HTTP/2. The raw phase
// runs @node-rs/argon2 verify at the same parameters with the same thread-pool size. Phases alternate,
// and the ratio of the means is printed (goal: >= 0.9: nothing on the login path but Argon2id is expensive).
import { availableParallelism } from "node:os";

const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? Math.max(2, availableParallelism()));
process.env.UV_THREADPOOL_SIZE = String(poolSize);
const { runBenchmark } = await import("./benchmark.ts");
await runBenchmark({
  poolSize,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? poolSize * 4),
});
