// The fast tier of tests: a service's real migrations and entities on an in-process PostgreSQL (PGlite, the
// database of `npm start`), so that a use case is tested against SQL in a second, without the components
// the integration tier starts. Files named `*.fast.test.ts`; they run with the unit tests.
import { createOrm, type MikroORM } from "../orm/create-orm.ts";
import { IN_MEMORY, startEmbeddedDatabase } from "../orm/embedded-database.ts";
import type { ServiceDefinition } from "../server/service-definition.ts";

export interface FastOrm {
  orm: MikroORM;
  close(): Promise<void>;
}

/** A fresh in-memory database with the service's migrations applied, and its ORM. */
export async function startFastOrm(definition: Pick<ServiceDefinition<unknown>, "entities" | "migrations" | "routines">): Promise<FastOrm> {
  const db = await startEmbeddedDatabase({ dataDir: IN_MEMORY, maxConnections: 4 });
  try {
    const orm = await createOrm({
      databaseUrl: db.url,
      entities: definition.entities,
      migrations: definition.migrations,
      routines: definition.routines,
      poolMax: 2,
    });
    return {
      orm,
      async close() {
        await orm.close(true);
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
