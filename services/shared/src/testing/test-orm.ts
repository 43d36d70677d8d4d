// An ORM over a database of the suite's own, with the shared migrations (outbox, inbox, Idempotency-Key)
// applied: where the shared integration suites start from.
import { createOrm, type MikroORM, type OrmOptions } from "../orm/create-orm.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export interface TestOrm {
  db: TestDatabase;
  orm: MikroORM;
  /** Closes the ORM and drops the database. */
  close(): Promise<void>;
}

/** `options`: entities and migrations of the suite's own, beside the shared ones (none by default). */
export async function createTestOrm(prefix: string, options: Partial<Omit<OrmOptions, "databaseUrl">> = {}): Promise<TestOrm> {
  const db = await createTestDatabase(prefix);
  const orm = await createOrm({ databaseUrl: db.url, entities: [], migrations: [], ...options });
  return {
    db,
    orm,
    async close() {
      await orm.close();
      await db.drop();
    },
  };
}

/** createTestOrm before the file's tests and close after them; the fields are set once its beforeAll ran. */
export function useTestOrm(prefix: string, options: Partial<Omit<OrmOptions, "databaseUrl">> = {}, timeoutMs?: number): TestOrm {
  const suite = {} as TestOrm;
  beforeAll(async () => {
    Object.assign(suite, await createTestOrm(prefix, options));
  }, timeoutMs);
  afterAll(async () => {
    await suite.close?.();
  }, timeoutMs);
  return suite;
}
