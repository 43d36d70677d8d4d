// A deleted user stays in the replica as a tombstone (deleted_at set, summary cleared): the primary key then
// stops a late profile.updated or a still-valid token's claims from bringing the user back.
import { Migration } from "@mikro-orm/migrations";

export class DeletedUsers extends Migration {
  override up(): void {
    this.addSql("alter table known_user add column deleted_at timestamptz null");
  }
}
