import { Migration } from "@mikro-orm/migrations";

// The profile table and the directory's search index.
//
// Search matches the start of any word of the username or display name. A btree or GIN index over words
// cannot answer "a word starts with 'jo', ordered by username, after this cursor" without sorting every
// match, so the index is a table of word *prefixes*: one row per (prefix, user), keyed by
// (prefix, username_key, user_id). A search is then one equality on prefix plus a keyset range on the
// sort key: an index range scan that reads only the page, whether 'j' matches ten users or fifty
// thousand. It is plain SQL (no pg_trgm), so it works on PostgreSQL and on PGlite alike.
//
// A trigger keeps the prefixes in step with username and display_name: the table is derived data, like an
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

    this.addSql(`create table profile_search_prefix (
      prefix text collate "C" not null,
      username_key text collate "C" not null,
      user_id uuid not null references profile (user_id) on delete cascade,
      primary key (prefix, username_key, user_id)
    )`);
    this.addSql("create index profile_search_prefix_user_idx on profile_search_prefix (user_id)");

    // Words: whitespace-separated tokens (john_smith, o'brien) and their alphanumeric parts (john, smith).
    this.addSql(`create function profile_search_words(username text, display_name text) returns setof text
      language sql immutable parallel safe as $fn$
        select distinct w from (
          select regexp_split_to_table(lower(username || ' ' || display_name), '[[:space:]]+') as w
          union all
          select regexp_split_to_table(lower(username || ' ' || display_name), '[^[:alnum:]]+')
        ) words where w <> ''
      $fn$`);
    // Prefixes up to 100 characters: a search is at most 100 characters long.
    this.addSql(`create function profile_search_prefixes(username text, display_name text) returns setof text
      language sql immutable parallel safe as $fn$
        select distinct left(w, n)
        from profile_search_words(username, display_name) as w, generate_series(1, least(length(w), 100)) as n
      $fn$`);
    this.addSql(`create function profile_search_refresh() returns trigger language plpgsql as $fn$
      begin
        if tg_op = 'UPDATE' then
          if new.username is not distinct from old.username and new.display_name is not distinct from old.display_name then
            return null;
          end if;
          delete from profile_search_prefix where user_id = old.user_id;
        end if;
        insert into profile_search_prefix (prefix, username_key, user_id)
          select p, new.username_key, new.user_id from profile_search_prefixes(new.username, new.display_name) as p;
        return null;
      end
      $fn$`);
    this.addSql(`create trigger profile_search_refresh after insert or update of username, display_name on profile
      for each row execute function profile_search_refresh()`);
  }
}
