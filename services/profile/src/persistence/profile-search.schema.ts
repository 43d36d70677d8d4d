// The database code behind the directory search, as migration 0001 creates it: two SQL functions (the normal
// form of a name or search, and the name read from each word start) and the three statement-level triggers
// that keep profile_search_prefix in step with profile. Declared here so that the schema check compares
// them with the migrated database; the migration stays the only place that creates them.
import { Routine } from "@mikro-orm/core";

/** One normal form for names and for searches: lowercase, whitespace runs as one space, trimmed. */
export const profileSearchNormalize = new Routine({
  name: "profile_search_normalize",
  type: "function",
  language: "sql",
  // immutable: the migration declares them so; the prefix index depends on their results never changing.
  deterministic: true,
  params: { value: { type: "text", runtimeType: "string" } },
  returns: { runtimeType: "string", columnType: "text" },
  body: "select btrim(lower(regexp_replace(value, '[[:space:]]+', ' ', 'g')), ' ')",
});

/** The name read from each word start: after a space, or where letters and digits begin after anything else. */
export const profileSearchWordStarts = new Routine({
  name: "profile_search_word_starts",
  type: "function",
  language: "sql",
  // immutable: the migration declares them so; the prefix index depends on their results never changing.
  deterministic: true,
  params: { name: { type: "text", runtimeType: "string" } },
  returns: { runtimeType: "string", columnType: "setof text" },
  body: `select substr(t, i)
        from (select profile_search_normalize(name) as t) as normalized, generate_series(1, length(t)) as i
        where substr(t, i, 1) <> ' '
          and (i = 1 or substr(t, i - 1, 1) = ' '
               or (substr(t, i, 1) ~ '[[:alnum:]]' and substr(t, i - 1, 1) !~ '[[:alnum:]]'))`,
});

export const PROFILE_SEARCH_ROUTINES = [profileSearchNormalize, profileSearchWordStarts];

/** The triggers on profile; their plpgsql functions (profile_search_on_*) are created by the migration. */
export const PROFILE_SEARCH_TRIGGERS = [
  {
    name: "profile_search_on_insert",
    timing: "after" as const,
    events: ["insert" as const],
    forEach: "statement" as const,
    expression: `create trigger profile_search_on_insert after insert on profile
      referencing new table as new_rows for each statement execute function profile_search_on_insert()`,
  },
  {
    name: "profile_search_on_update",
    timing: "after" as const,
    events: ["update" as const],
    forEach: "statement" as const,
    expression: `create trigger profile_search_on_update after update on profile
      referencing old table as old_rows new table as new_rows for each statement execute function profile_search_on_update()`,
  },
  {
    name: "profile_search_on_delete",
    timing: "after" as const,
    events: ["delete" as const],
    forEach: "statement" as const,
    expression: `create trigger profile_search_on_delete after delete on profile
      referencing old table as old_rows for each statement execute function profile_search_on_delete()`,
  },
];
