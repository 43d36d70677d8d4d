// The one way to run SQL written by hand outside migrations. MikroORM (entity manager, QueryBuilder,
// `em.getKysely()`) is the persistence layer; a statement comes here only when it must be atomic in a way
// the ORM cannot express: a conditional update that decides and writes in one round trip (refresh-token
// rotation, attempt counters), `insert ... on conflict`, `for update skip locked`. Every call site says why
// in a one-line comment, and docs/architecture.md lists them. It runs inside the entity manager's current
// transaction when there is one; `?` placeholders, an array expands to a list. It takes the core
// EntityManager type so that any entity manager of the ORM (the PostgreSQL one included) can be passed.
import type { EntityManager } from "@mikro-orm/core";

export function atomicSql<Row>(em: EntityManager, query: string, params: readonly unknown[] = []): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(query, params as unknown[], "all", em.getTransactionContext());
}
