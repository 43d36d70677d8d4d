// One rotation step, with no downtime: the `next` key (published since the previous rotation, so every
// verifier already has it) starts signing, the old `current` is retired (still published until the tokens
// it signed have expired), a new `next` is published, and retired keys past their time are removed.
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql, toDate } from "../persistence/sql.ts";
import { newKey } from "./signing-key-repository.ts";

export interface RotationOptions {
  encryptionKey: Buffer;
  /** A `next` key younger than this is not promoted: verifiers may not have fetched it yet. */
  publishDelaySeconds: number;
  /** How long a retired key stays published: the longest token lifetime plus the replicas' reload delay. */
  retainRetiredSeconds: number;
  force?: boolean;
}

export interface RotationResult {
  removed: string[];
  retired?: string;
  promoted?: string;
  published: string;
  /** Set when nothing was promoted because the next key is too recent (or there was none). */
  notBefore?: Date;
}

export class RotationTooEarly extends Error {}

export function rotateSigningKeys(em: EntityManager, options: RotationOptions): Promise<RotationResult> {
  return em.transactional(async (tx) => {
    // Serialises rotations (and first starts) across replicas and operators.
    await sql(tx, "lock table signing_key in share row exclusive mode");
    const removed = await sql<{ kid: string }>(
      tx,
      "delete from signing_key where state = 'retired' and remove_after <= now() returning kid",
    );
    const [next] = await sql<{ kid: string; created_at: Date | string }>(
      tx,
      "select kid, created_at from signing_key where state = 'next'",
    );
    const publish = async () => {
      const key = await newKey(options.encryptionKey);
      await sql(
        tx,
        "insert into signing_key (kid, state, public_jwk, private_key, created_at) values (?, 'next', ?::jsonb, ?, now()) returning kid",
        [key.kid, JSON.stringify(key.jwk), key.sealed],
      );
      return key.kid;
    };
    if (!next) {
      const published = await publish();
      return { removed: removed.map((r) => r.kid), published, notBefore: new Date(Date.now() + options.publishDelaySeconds * 1000) };
    }
    const publishedAt = toDate(next.created_at);
    const notBefore = new Date(publishedAt.getTime() + options.publishDelaySeconds * 1000);
    if (!options.force && notBefore.getTime() > Date.now()) {
      throw new RotationTooEarly(
        `the next key ${next.kid} was published at ${publishedAt.toISOString()}; it may sign from ${notBefore.toISOString()} (or use --force)`,
      );
    }
    const [retired] = await sql<{ kid: string }>(
      tx,
      `update signing_key set state = 'retired', retired_at = now(), remove_after = now() + make_interval(secs => ?)
       where state = 'current' returning kid`,
      [options.retainRetiredSeconds],
    );
    await sql(tx, "update signing_key set state = 'current', activated_at = now() where kid = ? returning kid", [next.kid]);
    const published = await publish();
    return { removed: removed.map((r) => r.kid), retired: retired?.kid, promoted: next.kid, published };
  });
}
