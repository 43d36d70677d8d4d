// One rotation step, with no downtime: the `next` key (published since the previous rotation, so every
// verifier already has it) starts signing, the old `current` is retired (still published until the tokens
// it signed have expired), a new `next` is published, and retired keys past their time are removed.
import type { MikroORM } from "@mikro-orm/postgresql";
import { newSigningKey } from "../adapters/new-signing-key.ts";
import {
  findKeyInState,
  insertNextKey,
  lockSigningKeys,
  promoteKey,
  removeExpiredKeys,
  retireCurrentKey,
} from "../persistence/signing-key.repository.ts";

export interface RotateSigningKeysDeps {
  orm: MikroORM;
  now: () => Date;
  encryptionKey: Buffer;
  /** A `next` key younger than this is not promoted: verifiers may not have fetched it yet. */
  publishDelaySeconds: number;
  /** How long a retired key stays published: the longest token lifetime plus the replicas' reload delay. */
  retainRetiredSeconds: number;
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

/** `force`: promote even a next key younger than the publish delay. */
export function rotateSigningKeys(deps: RotateSigningKeysDeps) {
  return (options: { force?: boolean } = {}): Promise<RotationResult> =>
    deps.orm.em.fork().transactional(async (tx) => {
      await lockSigningKeys(tx);
      const removed = await removeExpiredKeys(tx);
      const next = await findKeyInState(tx, "next");
      const publish = async () => {
        const key = await newSigningKey(deps.encryptionKey);
        await insertNextKey(tx, key);
        return key.kid;
      };
      if (!next) {
        const published = await publish();
        return { removed, published, notBefore: new Date(deps.now().getTime() + deps.publishDelaySeconds * 1000) };
      }
      const publishedAt = next.createdAt;
      const notBefore = new Date(publishedAt.getTime() + deps.publishDelaySeconds * 1000);
      if (!options.force && notBefore.getTime() > deps.now().getTime()) {
        throw new RotationTooEarly(
          `the next key ${next.kid} was published at ${publishedAt.toISOString()}; it may sign from ${notBefore.toISOString()} (or use --force)`,
        );
      }
      const retired = await retireCurrentKey(tx, deps.retainRetiredSeconds);
      await promoteKey(tx, next.kid);
      const published = await publish();
      return { removed, retired, promoted: next.kid, published };
    });
}
