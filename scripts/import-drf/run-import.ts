// One import run: users (with their profiles) in id order, then friendships, a batch at a time, each batch
// committed on its own (or, with dryRun, everything in one transaction per database, rolled back at the end).
import { djangoFormat } from "@identity/auth/adapters/django-password-hashes.ts";
import type pg from "pg";
import type { SourceMapping } from "./mapping.ts";
import { createProgress } from "./progress.ts";
import type { Source } from "./source.ts";
import { newTally, type Tally } from "./tally.ts";
import type { Targets } from "./targets.ts";
import { writeFriendshipBatch } from "./write-friendships.ts";
import { type InTransaction, writeUserBatch } from "./write-users.ts";

export interface RunOptions {
  batchSize: number;
  dryRun: boolean;
  mapping: SourceMapping;
  progressOut: { isTTY?: boolean; write(text: string): unknown };
  /** Stops the run after the batch in progress (Ctrl-C): what is committed stays, a re-run goes on. */
  signal?: AbortSignal;
}

const perBatch: InTransaction = async (client, work) => {
  await client.query("begin");
  try {
    const result = await work();
    await client.query("commit");
    return result;
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  }
};

/** The dry run's transactions are already open: statements just run in them. */
const insideRunTransaction: InTransaction = (_client, work) => work();

const hashSupported = (hash: string) => djangoFormat(hash) !== undefined || hash.startsWith("$argon2");

export class AnotherSourceError extends Error {
  override name = "AnotherSourceError";
}

/**
 * Legacy ids are the source's own: the first import records which source it read, and a later one from
 * another database (whose user 1 is someone else) is refused before anything is written.
 */
async function claimSource(auth: pg.Client, fingerprint: string | undefined): Promise<void> {
  if (!fingerprint) return;
  await auth.query(
    "insert into legacy_import_source (singleton, fingerprint, first_imported_at) values (true, $1, now()) on conflict do nothing",
    [fingerprint],
  );
  const { rows } = await auth.query<{ fingerprint: string }>("select fingerprint from legacy_import_source");
  if (rows[0]?.fingerprint !== fingerprint)
    throw new AnotherSourceError(
      `the platform already holds an import from another source database (its first user was "${rows[0]?.fingerprint}", this one's is "${fingerprint}"); legacy ids of two sources cannot be told apart`,
    );
}

export async function runImport(source: Source, targets: Targets, options: RunOptions): Promise<Tally> {
  const tally = newTally();
  const clients = targets.clients;
  const all: pg.Client[] = [clients.auth, clients.profile, clients.friendship];
  const counts = await source.counts();
  const progress = createProgress(counts.users + counts.friendships, options.progressOut);
  if (options.dryRun) for (const c of all) await c.query("begin");
  else await claimSource(clients.auth, await source.fingerprint());
  const ctx = {
    clients,
    tally,
    now: new Date(),
    hashSupported,
    inTransaction: options.dryRun ? insideRunTransaction : perBatch,
  };
  try {
    if (options.dryRun) await claimSource(clients.auth, await source.fingerprint());
    let after = "0";
    while (!options.signal?.aborted) {
      const batch = await source.users(after, options.batchSize);
      if (batch.length === 0) break;
      await writeUserBatch(batch, ctx);
      after = batch[batch.length - 1]?.legacyId ?? after;
      progress.advance(batch.length, "users");
    }
    after = "0";
    while (!options.signal?.aborted) {
      const batch = await source.friendships(after, options.batchSize);
      if (batch.length === 0) break;
      await writeFriendshipBatch(batch, ctx, options.mapping.friendships.statuses);
      after = batch[batch.length - 1]?.legacyId ?? after;
      progress.advance(batch.length, "friendships");
    }
  } finally {
    if (options.dryRun) for (const c of all) await c.query("rollback").catch(() => {});
  }
  progress.finish();
  return tally;
}
