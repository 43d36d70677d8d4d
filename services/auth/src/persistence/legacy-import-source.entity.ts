import { defineEntity, p } from "@mikro-orm/core";

/** The one source database accounts were imported from (`npm run import:drf`), by a fingerprint of its first user. */
export const LegacyImportSourceEntity = defineEntity({
  name: "LegacyImportSource",
  tableName: "legacy_import_source",
  // One row at most: its only possible key is `true`.
  checks: [{ name: "legacy_import_source_singleton_check", expression: "singleton" }],
  properties: {
    singleton: p.boolean().primary().default(true),
    fingerprint: p.text(),
    firstImportedAt: p.datetime().fieldName("first_imported_at"),
  },
});
