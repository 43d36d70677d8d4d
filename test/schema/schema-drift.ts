// What MikroORM would still change after a service's migrations: one SQL statement per entry, so that a
// failure lists each statement and its owner finds the table at fault without decoding one escaped string.
import type { MikroORM } from "@identity/shared/orm/create-orm.ts";

export async function schemaDrift(orm: MikroORM): Promise<string[]> {
  const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
  return sql
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/;\s*$/, "").trim())
    .filter(Boolean);
}

/** Passes when there is no drift; otherwise fails naming the service and listing the statements. */
export function expectNoDrift(service: string, statements: readonly string[]): void {
  if (statements.length === 0) return;
  throw new Error(
    `the entities of ${service} do not describe its migrated schema; MikroORM would still run ${statements.length} statement(s):\n` +
      statements.map((s) => `  ${s};`).join("\n"),
  );
}
