// The mail outbox: mails are written with the request's transaction and sent after the answer, so that no
// answer waits for SMTP and none takes longer because an address exists.
import { Migration } from "@mikro-orm/migrations";

export class CreateMailOutbox extends Migration {
  override up(): void {
    this.addSql(`create table mail_outbox (
      id uuid primary key,
      kind text not null,
      recipient text not null,
      data jsonb not null default '{}',
      created_at timestamptz not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      composed bytea null
    )`);
    // The relay claims due rows, oldest first.
    this.addSql("create index mail_outbox_due_idx on mail_outbox (next_attempt_at, created_at)");
  }
}
