// Accounts brought over from the original DRF service (`npm run import:drf`): the Django user id each one
// came from (one platform id per legacy id, so an import never creates an account twice), whether Django
// had it active, and its last login there. Registered accounts have no legacy id and are active.
import { Migration } from "@mikro-orm/migrations";

export class LegacyAccounts extends Migration {
  override up(): void {
    this.addSql("alter table app_user add column legacy_id bigint null");
    this.addSql("alter table app_user add column is_active boolean not null default true");
    this.addSql("alter table app_user add column last_login timestamptz null");
    this.addSql("create unique index app_user_legacy_id_key on app_user (legacy_id)");
    // The accounts whose password is still a Django hash (not yet replaced at a login): while any exist,
    // failed logins are padded to the cost of the slowest Django format (see adapters/password-hasher.ts).
    // Legacy ids are only unique within one source database: the first import records which source it read
    // (a fingerprint of its first user), and an import from another source is refused.
    this.addSql(`create table legacy_import_source (
      singleton boolean primary key default true check (singleton),
      fingerprint text not null,
      first_imported_at timestamptz not null
    )`);
    this.addSql(
      "create index app_user_django_hash_idx on app_user (id) where password_hash not like '$argon2%' and password_hash not like '!%'",
    );
  }
}
