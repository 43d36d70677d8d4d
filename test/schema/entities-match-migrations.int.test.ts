// The entities are the row types: after a service's migrations have run on real PostgreSQL, MikroORM must
// find nothing to change between its entities and the schema. A column added by a migration and not by an
// entity (or the other way round) fails here, so the two cannot drift.
import { authService } from "@identity/auth/definition.ts";
import { friendshipService } from "@identity/friendship/definition.ts";
import { profileService } from "@identity/profile/definition.ts";
import { createOrm } from "@identity/shared/orm/create-orm.ts";
import { createTestDatabase } from "@identity/shared/testing/test-database.ts";
import { expectNoDrift, schemaDrift } from "./schema-drift.ts";

describe.each([authService, profileService, friendshipService])("$name", (definition) => {
  it("has entities that match its migrated schema", async () => {
    const db = await createTestDatabase(`${definition.name}_schema`);
    const orm = await createOrm({
      databaseUrl: db.url,
      entities: definition.entities,
      migrations: definition.migrations,
      routines: definition.routines,
    });
    try {
      expectNoDrift(definition.name, await schemaDrift(orm));
    } finally {
      await orm.close(true);
      await db.drop();
    }
  });
});
