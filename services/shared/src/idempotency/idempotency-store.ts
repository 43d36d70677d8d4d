// The Idempotency-Key table of one service: claim a key for a request, record its answer, or release it.
import type { MikroORM } from "@mikro-orm/postgresql";
import { atomicSql } from "../orm/atomic-sql.ts";
import { type IdempotencyKey, IdempotencyKeyEntity } from "./idempotency.entity.ts";

/** `method` is e.g. `identity.auth.v1.AuthService/Register`; `principal` the caller's user id (or service name), "" for a public RPC. */
export type KeyId = Pick<IdempotencyKey, "method" | "principal" | "key">;

export type StoredKey = Pick<IdempotencyKey, "requestHash" | "state" | "response" | "responseHeaders">;

// One statement, so that of two concurrent requests with the same key exactly one claims it: a new key is
// inserted; an expired one, or a pending one whose holder died (its lock ran out) with the same request, is
// taken over. Anything else is left to the caller to replay or refuse.
const CLAIM_SQL = `
insert into idempotency_key (method, principal, key, request_hash, state, locked_until, created_at)
values (?, ?, ?, ?, 'pending', now() + make_interval(secs => ?), now())
on conflict (method, principal, key) do update
  set request_hash = excluded.request_hash, state = 'pending', response = null, response_headers = null,
      locked_until = excluded.locked_until, created_at = excluded.created_at
  where idempotency_key.created_at < now() - make_interval(secs => ?)
     or (idempotency_key.state = 'pending' and idempotency_key.locked_until < now()
         and idempotency_key.request_hash = excluded.request_hash)
returning 1 as claimed`;

export interface IdempotencyStore {
  /** True when this request now holds the key and must run. */
  claim(id: KeyId, requestHash: Buffer): Promise<boolean>;
  find(id: KeyId): Promise<StoredKey | undefined>;
  complete(id: KeyId, response: Buffer, headers: Record<string, string>): Promise<void>;
  /** The request failed: the key is free again (a retry runs anew). */
  release(id: KeyId): Promise<void>;
  /** Deletes keys older than the retention. */
  purge(): Promise<number>;
}

export function createIdempotencyStore(orm: MikroORM, options: { ttlMs: number; lockMs: number }): IdempotencyStore {
  const ttlSeconds = options.ttlMs / 1000;
  const lockSeconds = options.lockMs / 1000;
  return {
    async claim(id, requestHash) {
      // Insert-or-take-over decided and written in one statement: of concurrent claims exactly one wins.
      const rows = await atomicSql(orm.em.fork(), CLAIM_SQL, [id.method, id.principal, id.key, requestHash, lockSeconds, ttlSeconds]);
      return rows.length === 1;
    },
    async find(id) {
      const row = await orm.em.fork().findOne(IdempotencyKeyEntity, id, { disableIdentityMap: true });
      if (!row || row.createdAt.getTime() < Date.now() - options.ttlMs) return undefined;
      return {
        requestHash: Buffer.from(row.requestHash),
        state: row.state,
        response: row.response ? Buffer.from(row.response) : null,
        responseHeaders: row.responseHeaders ?? null,
      };
    },
    async complete(id, response, headers) {
      await orm.em
        .fork()
        .nativeUpdate(IdempotencyKeyEntity, { ...id, state: "pending" }, { state: "done", response, responseHeaders: headers });
    },
    async release(id) {
      await orm.em.fork().nativeDelete(IdempotencyKeyEntity, { ...id, state: "pending" });
    },
    async purge() {
      return orm.em.fork().nativeDelete(IdempotencyKeyEntity, { createdAt: { $lt: new Date(Date.now() - options.ttlMs) } });
    },
  };
}
