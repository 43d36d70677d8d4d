// `npm run import:drf -- --from <postgres URL of the DRF database> [options]`: copies the original DRF
// service's users, profiles and friendships into the platform. See docs/migrating-from-drf.md.
// Exit status: 0 done; 2 rows were refused (unless --allow-refused); 1 the run failed; 64 bad usage;
// 130 interrupted (Ctrl-C or SIGTERM: stopped after the batch in progress).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { IN_MEMORY } from "@identity/shared/orm/embedded-database.ts";
import { loadMapping, MappingError } from "./mapping.ts";
import { runImport } from "./run-import.ts";
import { openSource } from "./source.ts";
import { formatSummary } from "./tally.ts";
import { openTargets, type TargetChoice } from "./targets.ts";

const USAGE = `usage: npm run import:drf -- --from <postgres URL> [options]
  --from URL              the original service's database (read only)
  --dry-run               do everything but commit: report what would be imported and refused
  --batch-size N          rows per batch and transaction (default 1000, 1..10000)
  --allow-refused         exit 0 even when rows were refused
  --mapping FILE          JSON with other table and column names (see docs/migrating-from-drf.md)
  --summary-json FILE     also write the summary, every refused row included, as JSON
  into (one of; default: the embedded databases of npm start):
  --stack                 the local stack's PostgreSQL (identity_auth, identity_profile, identity_friendship)
  --to-postgres URL       a PostgreSQL server holding those three databases
  --auth-db URL --profile-db URL --friendship-db URL   each service's database
  --data-dir DIR          the embedded databases' folder (default $EMBEDDED_DATA_DIR or .data/embedded)`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "batch-size": { type: "string", default: "1000" },
      "allow-refused": { type: "boolean", default: false },
      mapping: { type: "string" },
      "summary-json": { type: "string" },
      "to-postgres": { type: "string" },
      "auth-db": { type: "string" },
      "profile-db": { type: "string" },
      "friendship-db": { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (!values.from) throw new UsageError("--from <postgres URL of the DRF database> is required");
  const batchSize = Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError("--batch-size must be 1..10000");
  const perService = [values["auth-db"], values["profile-db"], values["friendship-db"]];
  let target: TargetChoice;
  if (perService.some(Boolean)) {
    const [auth, profile, friendship] = perService;
    if (!auth || !profile || !friendship) throw new UsageError("--auth-db, --profile-db and --friendship-db go together");
    target = { kind: "urls", urls: { auth, profile, friendship } };
  } else if (values["to-postgres"]) {
    target = { kind: "server", url: values["to-postgres"] };
  } else {
    target = { kind: "embedded", dataDir: values["data-dir"] ?? process.env.EMBEDDED_DATA_DIR ?? ".data/embedded" };
  }
  if (target.kind === "embedded" && target.dataDir === IN_MEMORY) throw new UsageError("--data-dir :memory: keeps nothing");
  return {
    from: values.from,
    dryRun: values["dry-run"],
    batchSize,
    allowRefused: values["allow-refused"],
    mapping: loadMapping(values.mapping),
    summaryJson: values["summary-json"],
    target,
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError || err instanceof MappingError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`import:drf: ${(err as Error).message}\n${USAGE}\n`);
      return 64;
    }
    throw err;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  // The first Ctrl-C (or SIGTERM) ends the run after the current batch, cleanly (embedded databases opened
  // here are closed properly); a second one ends the process at once.
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write("\nimport:drf: stopping after the current batch (again to stop at once)\n");
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const source = await openSource(options.from, options.mapping);
  try {
    const targets = await openTargets(options.target);
    try {
      const tally = await runImport(source, targets, { ...options, progressOut: process.stdout, signal: interrupt.signal });
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`${formatSummary(tally, { dryRun: options.dryRun, seconds, target: targets.description })}\n`);
      const interrupted = interrupt.signal.aborted;
      if (interrupted) process.stdout.write("import:drf: interrupted: run it again to import the rest\n");
      if (options.summaryJson)
        writeFileSync(options.summaryJson, `${JSON.stringify({ ...tally, dryRun: options.dryRun, interrupted, seconds }, null, 2)}\n`);
      if (interrupted) return 130;
      if (tally.refused.length > 0 && !options.allowRefused) {
        process.stderr.write(`import:drf: ${tally.refused.length} rows refused (see above); --allow-refused accepts that\n`);
        return 2;
      }
      return 0;
    } finally {
      await targets.close();
    }
  } finally {
    await source.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // The message only: a driver error may name hosts, never a password (URLs are not echoed).
    process.stderr.write(`import:drf: failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
