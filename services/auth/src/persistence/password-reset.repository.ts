// Password-reset tokens: at most one per account (a newer one replaces the older, which dies with it).
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { UserEntity, type UserRow } from "./user.entity.ts";
import { PasswordResetTokenEntity, type PasswordResetTokenRow } from "./verification-code.entity.ts";

/**
 * Stores a new token for the account of `email`, unless there is none or a token was sent less than
 * `minIntervalSeconds` ago. The account id when stored: the caller then mails the link.
 */
export async function storeResetToken(
  em: EntityManager,
  token: { email: string; tokenHash: Buffer; ttlSeconds: number },
  minIntervalSeconds: number,
): Promise<string | undefined> {
  // Lookup, interval check and replacement in one atomic statement, taking the same time for an unknown address.
  const [row] = await atomicSql<{ user_id: string }>(
    em,
    `insert into password_reset_token (user_id, token_hash, sent_at, expires_at)
     select id, ?, now(), now() + make_interval(secs => ?) from app_user where lower(email) = lower(?)
     on conflict (user_id) do update set token_hash = excluded.token_hash, sent_at = excluded.sent_at, expires_at = excluded.expires_at
     where password_reset_token.sent_at <= now() - make_interval(secs => ?)
     returning user_id`,
    [token.tokenHash, token.ttlSeconds, token.email, minIntervalSeconds],
  );
  return row?.user_id;
}

export interface ResetTarget {
  token: PasswordResetTokenRow;
  user: UserRow;
}

/** The account a live-or-expired token belongs to, if the token is the account's current one. */
export async function findResetTarget(em: EntityManager, tokenHash: Buffer): Promise<ResetTarget | undefined> {
  const token = await em.findOne(PasswordResetTokenEntity, { tokenHash }, { disableIdentityMap: true });
  if (!token) return undefined;
  const user = await em.findOne(UserEntity, { id: token.userId }, { disableIdentityMap: true });
  return user ? { token, user } : undefined;
}

/** Spends the token if it is still unexpired: true when this call spent it (single use under races). */
export async function spendResetToken(em: EntityManager, tokenHash: Buffer): Promise<boolean> {
  const deleted = await em.nativeDelete(PasswordResetTokenEntity, { tokenHash, expiresAt: { $gt: new Date() } });
  return deleted > 0;
}
