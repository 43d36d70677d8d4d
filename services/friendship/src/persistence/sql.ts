// Raw SQL inside the caller's transaction (or autocommit when there is none). Used where SQL says it
// more clearly than the ORM: row locks, `on conflict`, keyset pages over a union of index ranges.
import type { EntityManager } from "@mikro-orm/core";

export async function query<Row>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  return (await em.getConnection().execute(sql, params as unknown[], "all", em.getTransactionContext())) as Row[];
}
