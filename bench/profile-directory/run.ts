// Directory latency at 1,000 and 100,000 users, side by side: two instances of the real profile service
// (each on its own fresh PostgreSQL database) in this process, called over HTTP/2 with the Connect
// protocol, queries alternating between the two so that both see the same machine state. Prints p50/p99 per
// kind of query, the p99 ratio (goal <= 1.5), and the EXPLAIN ANALYZE of a search page at 100,000 users.
//
//   node bench/profile-directory/run.ts
//   BENCH_QUERIES=1000 (per kind and size), BENCH_USERS=100000, BENCH_SMALL_USERS=1000; exit code 1 if the
//   goal is missed.
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { encodePageToken } from "@identity/shared/pagination.ts";
import { startServiceHarness } from "@identity/shared/testing/service-harness.ts";
import { createTestTokens } from "@identity/shared/testing/test-tokens.ts";
import { profileService } from "../../services/profile/src/definition.ts";
import { directorySql } from "../../services/profile/src/persistence/directory.repository.ts";
import { seedUsers } from "./seed.ts";

const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
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
const request = (kind: Kind, i: number) =>
  kind === "search"
    ? { search: SEARCHES[i % SEARCHES.length], pageSize: 20 }
    : {
        pageSize: 20,
        pageToken: CURSORS[i % CURSORS.length]
          ? encodePageToken([CURSORS[i % CURSORS.length] as string, "00000000-0000-0000-0000-000000000000"])
          : "",
      };

const samples = new Map<string, number[]>();
for (const kind of ["search", "page"] as const) {
  for (let i = -50; i < QUERIES; i++) {
    for (const instance of instances) {
      const started = process.hrtime.bigint();
      const page = await instance.client.listUsers(request(kind, i));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (kind === "page" && page.users.length !== 20) throw new Error("a directory page came back short");
      if (i < 0) continue; // warm-up
      const key = `${kind}:${instance.size}`;
      samples.set(key, [...(samples.get(key) ?? []), ms]);
    }
  }
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const [small, large] = SIZES as [number, number];
console.log(`\n${QUERIES} queries per kind and size, page_size 20, Connect over HTTP/2, sequential\n`);
console.log("| query | users | p50 ms | p99 ms |");
console.log("|---|---|---|---|");
const ratios: string[] = [];
let goalMet = true;
for (const kind of ["search", "page"] as const) {
  for (const size of SIZES) {
    const xs = samples.get(`${kind}:${size}`) ?? [];
    console.log(`| ${kind} | ${size.toLocaleString("en")} | ${percentile(xs, 50).toFixed(2)} | ${percentile(xs, 99).toFixed(2)} |`);
  }
  const ratio = percentile(samples.get(`${kind}:${large}`) ?? [], 99) / percentile(samples.get(`${kind}:${small}`) ?? [], 99);
  goalMet &&= ratio <= GOAL;
  ratios.push(`${kind} p99 ratio ${large.toLocaleString("en")}/${small.toLocaleString("en")}: ${ratio.toFixed(2)} (goal <= ${GOAL})`);
}
console.log(`\n${ratios.join("\n")}`);

const big = instances.at(-1);
if (big) {
  const after = { usernameKey: "john_", userId: "00000000-0000-0000-0000-000000000000" };
  for (const [label, search] of [
    [`search "jo"`, "jo"],
    ["no search", undefined],
  ] as const) {
    const { sql, params } = directorySql({ excludeUserId: big.callerId, search, after, limit: 21 });
    const explain = `explain (analyze, buffers, costs off, timing off, summary off) ${sql}`;
    const plan = (await big.harness.orm.em.fork().getConnection().execute(explain, params, "all")) as Array<Record<string, string>>;
    console.log(`\nEXPLAIN ANALYZE, ${label}, the page after "john_", ${big.size.toLocaleString("en")} users:\n`);
    console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
  }
}

for (const instance of instances) await instance.harness.close();
if (!goalMet) process.exitCode = 1;
