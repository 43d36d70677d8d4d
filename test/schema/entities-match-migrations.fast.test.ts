// The same check as entities-match-migrations.int.test.ts on the in-process PostgreSQL of the fast tier, so
// that an entity edited without its migration (or the other way round) fails in the unit stage too.
import { authService } from "@identity/auth/definition.ts";
import { friendshipService } from "@identity/friendship/definition.ts";
import { profileService } from "@identity/profile/definition.ts";
import { startFastOrm } from "@identity/shared/testing/fast-orm.ts";
import { expectNoDrift, schemaDrift } from "./schema-drift.ts";

describe.each([authService, profileService, friendshipService])("$name", (definition) => {
  it("has entities that match its migrated schema", async () => {
    const db = await startFastOrm(definition);
    try {
      expectNoDrift(definition.name, await schemaDrift(db.orm));
    } finally {
      await db.close();
    }
  });
});
