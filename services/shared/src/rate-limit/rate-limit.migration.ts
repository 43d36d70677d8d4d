// The rate_limit_bucket table, for a service whose schema does not create it yet (auth's first migration has
// the same table). One row per key and fixed window.
import { Migration } from "@mikro-orm/migrations";

export class CreateRateLimitBuckets extends Migration {
  override up(): void {
    this.addSql(`create table if not exists rate_limit_bucket (
      key text not null,
      window_start timestamptz not null,
      count integer not null,
      primary key (key, window_start)
    )`);
    this.addSql("create index if not exists rate_limit_bucket_window_idx on rate_limit_bucket (window_start)");
  }
}
