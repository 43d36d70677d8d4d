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

export async function runImport(source: Source, targets: Targets, options: RunOptions): Promise<Tally> {
  const tally = newTally();
  const clients = targets.clients;
  const all: pg.Client[] = [clients.auth, clients.profile, clients.friendship];
  const counts = await source.counts();
  const progress = createProgress(counts.users + counts.friendships, options.progressOut);
  if (options.dryRun) for (const c of all) await c.query("begin");
  const ctx = {
    clients,
    tally,
    now: new Date(),
    hashSupported,
    inTransaction: options.dryRun ? insideRunTransaction : perBatch,
  };
  try {
    let after = "0";
    for (;;) {
      const batch = await source.users(after, options.batchSize);
      if (batch.length === 0) break;
      await writeUserBatch(batch, ctx);
      after = batch[batch.length - 1]?.legacyId ?? after;
      progress.advance(batch.length, "users");
    }
    after = "0";
    for (;;) {
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
