import { Migration } from "@mikro-orm/migrations";

// The profile table and the directory's search index.
//
// Search matches the username or display name from the start of any word: the search text, lowercased
// and with its whitespace collapsed, must be a prefix of the name read from some word start ("jo" and
// "jo kim" both match "Mary Jo Kim"; "smith" matches "john_smith"). A btree or GIN index over words cannot
// answer "starts with 'jo', ordered by username, after this cursor" without sorting every match, so the
// index is a table of those *prefixes*: one row per (prefix, user), keyed by (prefix, username_key,
// user_id). A search is one equality on prefix plus a keyset range on the sort key: an index range scan
// that reads only the page, whether 'j' matches ten users or fifty thousand. Plain SQL (no pg_trgm), so it
// works on PostgreSQL and on PGlite alike.
//
// Triggers keep the prefixes in step with username and display_name: the table is derived data, like an
// index, so no code path can forget it (the benchmark's bulk seed relies on that too).
export class CreateProfile extends Migration {
  override up(): void {
    this.addSql(`create table profile (
      user_id uuid primary key,
      username text not null,
      -- The directory's sort key: lowercased, compared bytewise so that PostgreSQL and PGlite agree.
      username_key text collate "C" generated always as (lower(username)) stored,
      display_name text not null,
      first_name text not null default '',
      last_name text not null default '',
      bio text not null default '',
      avatar_url text not null default '',
      -- Set once the user edited the name themselves: user.registered then no longer overwrites it.
      first_name_edited boolean not null default false,
      last_name_edited boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql("create index profile_directory_idx on profile (username_key, user_id)");

    // The only index is the primary key: a search reads it, and a rename deletes the old prefixes through it
    // (recomputed from the old names). No foreign key and no index on user_id: either would double the
    // cost of writing ~35 rows per user. The triggers below are the table's only writers.
    this.addSql(`create table profile_search_prefix (
      prefix text collate "C" not null,
      username_key text collate "C" not null,
      user_id uuid not null,
      primary key (prefix, username_key, user_id)
    )`);

    // One normal form for names and for searches: lowercase, whitespace runs as one space, trimmed.
    this.addSql(`create function profile_search_normalize(value text) returns text
      language sql immutable parallel safe as $fn$
        select btrim(lower(regexp_replace(value, '[[:space:]]+', ' ', 'g')), ' ')
      $fn$`);
    // The name read from each word start: after a space (john_smith, o'brien) or where letters and digits
    // begin after anything else (the smith of john_smith, the brien of o'brien).
    this.addSql(`create function profile_search_word_starts(name text) returns setof text
      language sql immutable parallel safe as $fn$
        select substr(t, i)
        from (select profile_search_normalize(name) as t) as normalized, generate_series(1, length(t)) as i
        where substr(t, i, 1) <> ' '
          and (i = 1 or substr(t, i - 1, 1) = ' '
               or (substr(t, i, 1) ~ '[[:alnum:]]' and substr(t, i - 1, 1) !~ '[[:alnum:]]'))
      $fn$`);
    // Every prefix of those, up to 100 characters (the longest search), for username and display name.
    const prefixesOf = (rows: string, where: string) => `
      select distinct left(w.start, n) as prefix, r.username_key, r.user_id
      from ${rows} r
      cross join lateral (
        select profile_search_word_starts(r.username) union select profile_search_word_starts(r.display_name)
      ) as w(start)
      cross join lateral generate_series(1, least(length(w.start), 100)) as n
      where ${where}`;
    // Statement-level triggers over transition tables: a bulk insert is indexed by one set-based statement
    // (sorted, so the btree grows at its right edge), a single-row edit by a small one.
    const insertPrefixes = (rows: string, where = "true") =>
      `insert into profile_search_prefix (prefix, username_key, user_id) ${prefixesOf(rows, where)} order by 1, 2, 3`;
    const deletePrefixes = (rows: string, where = "true") =>
      `delete from profile_search_prefix s using (${prefixesOf(rows, where)}) d
        where s.prefix = d.prefix and s.username_key = d.username_key and s.user_id = d.user_id`;
    const renamedIn = (other: string) =>
      `exists (select 1 from ${other} x where x.user_id = r.user_id and (x.username, x.display_name) is distinct from (r.username, r.display_name))`;
    this.addSql(`create function profile_search_on_insert() returns trigger language plpgsql as $fn$
      begin
        ${insertPrefixes("new_rows")};
        return null;
      end
      $fn$`);
    this.addSql(`create function profile_search_on_update() returns trigger language plpgsql as $fn$
      begin
        ${deletePrefixes("old_rows", renamedIn("new_rows"))};
        ${insertPrefixes("new_rows", renamedIn("old_rows"))};
        return null;
      end
      $fn$`);
    this.addSql(`create function profile_search_on_delete() returns trigger language plpgsql as $fn$
      begin
        ${deletePrefixes("old_rows")};
        return null;
      end
      $fn$`);
    this.addSql(`create trigger profile_search_on_insert after insert on profile
      referencing new table as new_rows for each statement execute function profile_search_on_insert()`);
    this.addSql(`create trigger profile_search_on_update after update on profile
      referencing old table as old_rows new table as new_rows for each statement execute function profile_search_on_update()`);
    this.addSql(`create trigger profile_search_on_delete after delete on profile
      referencing old table as old_rows for each statement execute function profile_search_on_delete()`);
  }
}
