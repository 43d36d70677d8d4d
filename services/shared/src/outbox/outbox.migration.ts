import { Migration } from "@mikro-orm/migrations";

export class CreateOutboxAndInbox extends Migration {
  override up(): void {
    this.addSql(`create table if not exists outbox_event (
      id uuid primary key,
      topic text not null,
      key text not null,
      type text not null,
      payload bytea not null,
      occurred_at timestamptz not null,
      published_at timestamptz null,
      attempts integer not null default 0
    )`);
    // The relay scans only unpublished rows, oldest first.
    this.addSql("create index if not exists outbox_event_unpublished_idx on outbox_event (occurred_at, id) where published_at is null");
    this.addSql(`create table if not exists processed_event (
      consumer text not null,
      event_id uuid not null,
      processed_at timestamptz not null,
      primary key (consumer, event_id)
    )`);
  }
}
