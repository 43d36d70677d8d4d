import { Migration } from "@mikro-orm/migrations";

export class CreateFriendships extends Migration {
  override up(): void {
    // The service's replica of the users it may show: fed by user.registered and profile.updated, and by
    // the caller's own verified token claims. profile_updated_at is the version of the last profile.updated
    // applied, so that a late, older event never overwrites a newer state.
    this.addSql(`create table known_user (
      id uuid primary key,
      username text not null,
      display_name text not null default '',
      avatar_url text not null default '',
      profile_updated_at timestamptz null
    )`);
    this.addSql(`create table friendship (
      id uuid primary key,
      requester_id uuid not null references known_user (id),
      addressee_id uuid not null references known_user (id),
      status text not null check (status in ('requested', 'accepted', 'rejected')),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (requester_id <> addressee_id)
    )`);
    // One relationship per pair whatever its direction: concurrent requests between the same two users
    // (either way round) collide here, and only one row is ever created.
    this.addSql(
      "create unique index friendship_pair_key on friendship (least(requester_id, addressee_id), greatest(requester_id, addressee_id))",
    );
    // Keyset pages, one index range per (party, status): a page reads page_size rows of each range, however
    // many relationships the user has; rejected rows are never scanned by a list.
    this.addSql("create index friendship_requester_page_idx on friendship (requester_id, status, updated_at, id)");
    this.addSql("create index friendship_addressee_page_idx on friendship (addressee_id, status, updated_at, id)");
  }
}
