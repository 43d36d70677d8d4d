// The ORM bootstrap every service uses: MikroORM on PostgreSQL, the service's explicit migrations applied
// at start-up (never schema sync), and the shared outbox/inbox tables.
import type { AnyEntity, EntitySchema, Routine } from "@mikro-orm/core";
import { type Migration, Migrator } from "@mikro-orm/migrations";
import { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { IdempotencyKeyEntity } from "../idempotency/idempotency.entity.ts";
import { CreateIdempotencyKeys } from "../idempotency/idempotency.migration.ts";
import { InboxEntity } from "../outbox/inbox.entity.ts";
import { OutboxEntity } from "../outbox/outbox.entity.ts";
import { CreateOutboxAndInbox } from "../outbox/outbox.migration.ts";

export type { MikroORM };
export type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

export interface OrmOptions {
  databaseUrl: string;
  /** The service's own entities; the outbox, inbox and Idempotency-Key tables are added here. */
  entities: ReadonlyArray<EntitySchema<AnyEntity>>;
  /** The service's own migrations, in order; the shared ones (outbox/inbox, Idempotency-Key) run first. */
  migrations: ReadonlyArray<{ name: string; class: MigrationClass }>;
  /** Database functions the migrations create, declared so that the schema check compares them too. */
  routines?: ReadonlyArray<Routine>;
  /** Connection pool size. */
  poolMax?: number;
  /** Creates the database when it does not exist (development and tests). */
  createDatabase?: boolean;
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init({
    clientUrl: options.databaseUrl,
    entities: [OutboxEntity, InboxEntity, IdempotencyKeyEntity, ...options.entities],
    extensions: [Migrator],
    routines: options.routines ?? [],
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations: {
      migrationsList: [
        { name: "0000_outbox_and_inbox", class: CreateOutboxAndInbox },
        { name: "0000_idempotency_key", class: CreateIdempotencyKeys },
        ...options.migrations,
      ],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // Entities are defined with defineEntity: no reflection, no decorators.
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
  });
  if (options.createDatabase) await orm.schema.ensureDatabase({ create: false });
  await migrateExclusively(orm, options.databaseUrl);
  return orm;
}

/** Any constant: the key of the session-level advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_312_094_211;

/**
 * Applies the migrations while holding an advisory lock on a connection of its own, so that replicas
 * starting together (two pods of a fresh Deployment) migrate one after the other, never at once.
 */
async function migrateExclusively(orm: MikroORM, databaseUrl: string): Promise<void> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    // A session-level lock must live on one connection for the whole run: the ORM's pool cannot promise that.
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await orm.migrator.up();
  } finally {
    await lock.end();
  }
}

/** Throws when the database does not answer: the readiness check. */
export async function checkDatabase(orm: MikroORM): Promise<void> {
  const status = await orm.checkConnection();
  if (!status.ok) throw status.error ?? new Error(status.reason);
}
