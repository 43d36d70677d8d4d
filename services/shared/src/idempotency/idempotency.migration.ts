import { Migration } from "@mikro-orm/migrations";

/** Every service's table of Idempotency-Key results (see idempotency-interceptor.ts). */
export class CreateIdempotencyKeys extends Migration {
  override up(): void {
    this.addSql(`create table if not exists idempotency_key (
      method text not null,
      principal text not null,
      key text not null,
      request_hash bytea not null,
      state text not null check (state in ('pending', 'done')),
      response bytea null,
      response_headers jsonb null,
      locked_until timestamptz not null,
      created_at timestamptz not null,
      primary key (method, principal, key)
    )`);
    // Expired keys are deleted by age.
    this.addSql("create index if not exists idempotency_key_created_at_idx on idempotency_key (created_at)");
  }
}
