// Raw SQL inside the entity manager's current transaction (if any), for the statements that must be one
// atomic round trip: counters, compare-and-set updates, upserts. `?` placeholders; an array expands to a list.
import type { EntityManager } from "@mikro-orm/postgresql";

export function sql<Row>(em: EntityManager, query: string, params: readonly unknown[] = []): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(query, params, "all", em.getTransactionContext());
}

/** Raw queries return timestamps as strings (the ORM leaves parsing to the entity layer): parse them. */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The name of the unique index a PostgreSQL unique violation names, if the error is one. */
export function violatedUniqueIndex(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string } | undefined;
  return e?.code === "23505" ? e.constraint : undefined;
}
