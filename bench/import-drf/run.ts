// import:drf at the size of the spec: 100,000 users (each with a profile, a third with an avatar) and 100,000
// friendships, made with SQL in a source database on the original service's PostgreSQL, imported by the
// real command (a child process, as an operator runs it) into three fresh databases on the project's
// PostgreSQL; then the same command again, which finds everything already there. Prints the wall time and
// rows/s of both runs; exit code 1 when the first misses the goal (under 2 minutes).
//
//   node bench/import-drf/run.ts
//   BENCH_USERS=100000 BENCH_FRIENDSHIPS=100000 BENCH_BATCH_SIZE=1000
import { createTestDatabase } from "@identity/shared/testing/test-database.ts";
import { bulkFill, createDrfSource } from "../../scripts/import-drf/test/drf-source.ts";
import { runImporter } from "../../scripts/import-drf/test/run-importer.ts";

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const FRIENDSHIPS = Number(process.env.BENCH_FRIENDSHIPS ?? 100_000);
const BATCH_SIZE = process.env.BENCH_BATCH_SIZE ?? "1000";
const GOAL_SECONDS = 120;

const source = await createDrfSource("bench_import");
const targets = await Promise.all(["auth", "profile", "friendship"].map((s) => createTestDatabase(`bench_import_${s}`)));
try {
  let started = Date.now();
  source.seed({ users: [{ username: "seed", email: "seed@example.com", password: "pw-of-the-seed-user" }] });
  const [seed] = await source.sql<{ password: string }>("select password from auth_user");
  await bulkFill(source, { users: USERS, friendships: FRIENDSHIPS, passwordHash: seed?.password ?? "" });
  const [counts] = await source.sql<{ users: number; friendships: number }>(
    "select (select count(*) from auth_user)::int as users, (select count(*) from core_friendship)::int as friendships",
  );
  const rows = (counts?.users ?? 0) + (counts?.friendships ?? 0);
  console.log(
    `source: ${counts?.users.toLocaleString("en")} users, ${counts?.friendships.toLocaleString("en")} friendships (made in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );

  const args = ["--from", source.url, "--batch-size", BATCH_SIZE];
  for (const [flag, db] of [
    ["--auth-db", targets[0]],
    ["--profile-db", targets[1]],
    ["--friendship-db", targets[2]],
  ] as const)
    args.push(flag, db?.url ?? "");
  const report = (label: string, seconds: number, summary: Awaited<ReturnType<typeof runImporter>>["summary"]) =>
    console.log(
      `${label}: ${seconds.toFixed(1)} s, ${Math.round(rows / seconds).toLocaleString("en")} rows/s ` +
        `(imported ${summary?.imported.users} users + ${summary?.imported.friendships} friendships, ` +
        `already there ${summary?.alreadyThere.users} + ${summary?.alreadyThere.friendships}, refused ${summary?.refused.length})`,
    );

  started = Date.now();
  const first = await runImporter(args);
  const firstSeconds = (Date.now() - started) / 1000;
  if (first.code !== 0) throw new Error(`the import failed (exit ${first.code}): ${first.stderr}`);
  report("first run ", firstSeconds, first.summary);

  started = Date.now();
  const second = await runImporter(args);
  report("second run", (Date.now() - started) / 1000, second.summary);

  const ok = firstSeconds < GOAL_SECONDS;
  console.log(`goal: under ${GOAL_SECONDS} s for the first run: ${ok ? "met" : "MISSED"}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await Promise.all([source.drop(), ...targets.map((t) => t.drop())]);
}
