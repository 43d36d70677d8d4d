import { Migration } from "@mikro-orm/migrations";

// Friendships brought over from the original DRF service (`npm run import:drf`): the Django row each one came
// from, so that an import never creates one twice. Null for friendships made on the platform.
export class LegacyFriendships extends Migration {
  override up(): void {
    this.addSql("alter table friendship add column legacy_id bigint null");
    this.addSql("create unique index friendship_legacy_id_key on friendship (legacy_id)");
  }
}
