// The auth service's schema. Uniqueness (case-insensitive username and email), the single `current` and
// `next` signing keys and the counters' atomicity are enforced here, by the database, not by prior SELECTs.
import { Migration } from "@mikro-orm/migrations";

export class CreateAuthSchema extends Migration {
  override up(): void {
    this.addSql(`create table app_user (
      id uuid primary key,
      username text not null check (username ~ '^[A-Za-z0-9_.]{3,30}$'),
      email text not null,
      password_hash text not null,
      email_verified boolean not null default false,
      first_name text not null default '',
      last_name text not null default '',
      date_joined timestamptz not null
    )`);
    // The case is kept as given; two names differing only in case are the same name.
    this.addSql("create unique index app_user_username_key on app_user (lower(username))");
    this.addSql("create unique index app_user_email_key on app_user (lower(email))");

    this.addSql(`create table auth_session (
      id uuid primary key,
      user_id uuid not null references app_user (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz null
    )`);
    this.addSql("create index auth_session_user_idx on auth_session (user_id)");

    // One row per refresh token issued: the token family of a session. Spent by its first use.
    this.addSql(`create table refresh_token (
      jti uuid primary key,
      session_id uuid not null references auth_session (id) on delete cascade,
      issued_at timestamptz not null,
      spent_at timestamptz null
    )`);
    this.addSql("create index refresh_token_session_idx on refresh_token (session_id)");

    // At most one live code per account: sending a new one replaces (kills) the old one.
    this.addSql(`create table email_verification_code (
      user_id uuid primary key references app_user (id) on delete cascade,
      email text not null,
      code_hash bytea not null,
      sent_at timestamptz not null,
      expires_at timestamptz not null,
      attempts integer not null default 0
    )`);

    this.addSql(`create table signing_key (
      kid text primary key,
      state text not null check (state in ('next', 'current', 'retired')),
      public_jwk jsonb not null,
      private_key bytea not null,
      created_at timestamptz not null,
      activated_at timestamptz null,
      retired_at timestamptz null,
      remove_after timestamptz null
    )`);
    this.addSql("create unique index signing_key_one_current on signing_key (state) where state = 'current'");
    this.addSql("create unique index signing_key_one_next on signing_key (state) where state = 'next'");

    this.addSql(`create table rate_limit_bucket (
      key text not null,
      window_start timestamptz not null,
      count integer not null,
      primary key (key, window_start)
    )`);
    this.addSql("create index rate_limit_bucket_window_idx on rate_limit_bucket (window_start)");

    // Development only: the mails that would have been sent, readable by every replica.
    this.addSql(`create table dev_mail (
      id uuid primary key,
      recipient text not null,
      subject text not null,
      body text not null,
      sent_at timestamptz not null
    )`);
    this.addSql("create index dev_mail_recipient_idx on dev_mail (lower(recipient), sent_at desc)");
  }
}
