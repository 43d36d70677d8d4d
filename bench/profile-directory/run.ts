// Directory latency at 1,000 and 100,000 users, side by side: two instances of the real profile service
// (each on its own fresh PostgreSQL database) in this process, called over HTTP/2 with the Connect
// protocol, queries alternating between the two so that both see the same machine state. Prints p50/p99 per
// kind of query, the p99 ratio (goal <= 1.5), and the EXPLAIN ANALYZE of a search page and a plain page
// at 100,000 users.
//
//   node bench/profile-directory/run.ts
//   BENCH_QUERIES=1000 (per kind, size and round), BENCH_ROUNDS=3, BENCH_USERS=100000,
//   BENCH_SMALL_USERS=1000; exit code 1 if the median p99 ratio misses the goal.
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { encodePageToken } from "@identity/shared/pagination.ts";
import { startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { createTestTokens } from "@identity/shared/testing/test-tokens.ts";
import { profileService } from "../../services/profile/src/definition.ts";
import { directoryQuery } from "../../services/profile/src/persistence/directory.repository.ts";
import { seedUsers } from "./seed.ts";

const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = [Number(process.env.BENCH_SMALL_USERS ?? 1000), Number(process.env.BENCH_USERS ?? 100_000)];
const GOAL = 1.5;

// Searches people type: common first-name and last-name prefixes (thousands of matches at 100,000 users),
// whole words, two words, and rare ones.
const SEARCHES = [
  "jo",
  "ma",
  "j",
  "smi",
  "will",
  "jennifer",
  "garcia",
  "anna lee",
  "mark jack",
  "john smith",
  "lee",
  "rob",
  "nguy",
  "ed",
  "kevin_hill",
  "zz",
];
// Page cursors spread over the alphabet: the first page and pages deep into the directory.
const CURSORS = ["", "b", "d", "j", "jo", "m", "r", "s", "w"];

const tokens = await createTestTokens();
const instances = [];
for (const size of SIZES) {
  const started = Date.now();
  const harness = await startServiceHarness(profileService, { verifier: tokens.verifier, env: { LOG_LEVEL: "warn" } });
  const callerId = await seedUsers(harness.orm, size);
  const token = await tokens.accessToken({ userId: callerId, username: "bench" });
  const [index] = (await harness.orm.em
    .fork()
    .getConnection()
    .execute(
      "select count(*) as rows, pg_size_pretty(pg_relation_size('profile_search_prefix_pkey')) as size from profile_search_prefix",
    )) as Array<{ rows: string; size: string }>;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`seeded ${size.toLocaleString("en")} users in ${seconds} s (search index: ${index?.rows} prefixes, ${index?.size})`);
  instances.push({ size, harness, callerId, client: harness.client(ProfileService, token) });
}

type Kind = "search" | "page";
const at = <T>(xs: readonly T[], i: number) => xs[((i % xs.length) + xs.length) % xs.length] as T;
const request = (kind: Kind, i: number) => {
  if (kind === "search") return { search: at(SEARCHES, i), pageSize: 20 };
  const cursor = at(CURSORS, i);
  return { pageSize: 20, pageToken: cursor ? encodePageToken([cursor, "00000000-0000-0000-0000-000000000000"]) : "" };
};

// Rounds, each with its own p99 ratio; the verdict is their median, so that one burst of load from the
// rest of the machine does not decide it. Within a round the two sizes alternate query by query, in
// alternating order (ABBA), so neither is systematically first.
const samples = new Map<string, number[]>();
const record = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ["search", "page"] as const) {
    for (let i = -50; i < QUERIES; i++) {
      const order = i % 2 === 0 ? instances : [...instances].reverse();
      for (const instance of order) {
        const started = process.hrtime.bigint();
        const page = await instance.client.listUsers(request(kind, i));
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (kind === "page" && page.users.length !== 20) throw new Error("a directory page came back short");
        if (i < 0) continue; // warm-up
        record(`${kind}:${instance.size}`, ms);
        record(`${round}:${kind}:${instance.size}`, ms);
      }
    }
  }
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const median = (xs: number[]) => percentile(xs, 50);
const [small, large] = SIZES as [number, number];
console.log(`\n${ROUNDS} rounds x ${QUERIES} queries per kind and size, page_size 20, Connect over HTTP/2, sequential\n`);
console.log("| query | users | p50 ms | p99 ms |");
console.log("|---|---|---|---|");
for (const kind of ["search", "page"] as const) {
  for (const size of SIZES) {
    const xs = samples.get(`${kind}:${size}`) ?? [];
    console.log(`| ${kind} | ${size.toLocaleString("en")} | ${percentile(xs, 50).toFixed(2)} | ${percentile(xs, 99).toFixed(2)} |`);
  }
}
let goalMet = true;
console.log("");
for (const kind of ["search", "page"] as const) {
  const perRound = Array.from(
    { length: ROUNDS },
    (_, round) =>
      percentile(samples.get(`${round}:${kind}:${large}`) ?? [], 99) / percentile(samples.get(`${round}:${kind}:${small}`) ?? [], 99),
  );
  const ratio = median(perRound);
  goalMet &&= ratio <= GOAL;
  const rounds = perRound.map((r) => r.toFixed(2)).join(", ");
  console.log(
    `${kind} p99 ratio ${large.toLocaleString("en")}/${small.toLocaleString("en")}: ${ratio.toFixed(2)} (median of rounds: ${rounds}; goal <= ${GOAL})`,
  );
}

const big = instances.at(-1);
if (big) {
  const after = { usernameKey: "john_", userId: "00000000-0000-0000-0000-000000000000" };
  for (const [label, search] of [
    [`search "jo"`, "jo"],
    ["no search", undefined],
  ] as const) {
    const em = big.harness.orm.em.fork();
    const page = directoryQuery(em, { excludeUserId: big.callerId, search, after, limit: 21 }).compile();
    const explain = { ...page, sql: `explain (analyze, buffers, costs off, timing off, summary off) ${page.sql}` };
    const plan = (await em.getKysely().executeQuery<Record<string, string>>(explain)).rows;
    console.log(`\nEXPLAIN ANALYZE, ${label}, the page after "john_", ${big.size.toLocaleString("en")} users:\n`);
    console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
  }
}

for (const instance of instances) await instance.harness.close();
if (!goalMet) process.exitCode = 1;
