// Tombstones of deleted users: a profile is created on the first request from a token's claims, so without
// them a still-valid token of a deleted account (or a late user.registered) would bring the profile back.
import { Migration } from "@mikro-orm/migrations";

export class DeletedUsers extends Migration {
  override up(): void {
    this.addSql("create table deleted_user (user_id uuid primary key, deleted_at timestamptz not null)");
  }
}
