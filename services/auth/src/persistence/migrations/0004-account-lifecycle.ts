// Account lifecycle: what a session shows its owner, password-reset tokens, pending email changes, and the
// index the unverified-account expiry walks.
import { Migration } from "@mikro-orm/migrations";

export class AccountLifecycle extends Migration {
  override up(): void {
    // Defaults keep inserts that do not know these columns working (a replica of the previous version during
    // a rolling update).
    this.addSql(`alter table auth_session
      add column last_used_at timestamptz not null default now(),
      add column user_agent text not null default '',
      add column client_address text not null default ''`);
    this.addSql("update auth_session set last_used_at = created_at");

    // At most one live reset token per account (a newer one replaces, and so kills, the older). Only the
    // SHA-256 of the token is stored: the token itself has 256 random bits, so no slow hash is needed.
    this.addSql(`create table password_reset_token (
      user_id uuid primary key references app_user (id) on delete cascade,
      token_hash bytea not null,
      sent_at timestamptz not null,
      expires_at timestamptz not null
    )`);
    this.addSql("create unique index password_reset_token_hash_key on password_reset_token (token_hash)");

    // The pending change of address of an account: the code mailed to the new address (HMAC, bound to the
    // account and that address), the same shape as email_verification_code.
    this.addSql(`create table email_change_code (
      user_id uuid primary key references app_user (id) on delete cascade,
      email text not null,
      code_hash bytea not null,
      sent_at timestamptz not null,
      expires_at timestamptz not null,
      attempts integer not null default 0
    )`);

    this.addSql("create index app_user_unverified_idx on app_user (date_joined) where not email_verified");
  }
}
