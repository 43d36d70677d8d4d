// Verification codes. Wrong tries are counted by one `attempts = attempts + 1 ... returning` statement, so
// that 50 parallel wrong guesses count exactly up to the limit; a new code replaces the row (the old dies).
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql, toDate } from "./sql.ts";

/** Verification codes of a new account's address, or of the address an account is changing to (same shape). */
export type CodeTable = "email_verification_code" | "email_change_code";

export interface StoredCode {
  user_id: string;
  email: string;
  code_hash: Buffer;
  expires_at: Date;
  attempts: number;
}

/**
 * Stores a new code for the account unless one was sent less than `minIntervalSeconds` ago (then nothing
 * changes). True when stored: the caller then mails it.
 */
export async function replaceCode(
  em: EntityManager,
  code: { userId: string; email: string; codeHash: Buffer; ttlSeconds: number },
  minIntervalSeconds: number,
  table: CodeTable = "email_verification_code",
): Promise<boolean> {
  const rows = await sql<{ user_id: string }>(
    em,
    `insert into ${table} (user_id, email, code_hash, sent_at, expires_at, attempts)
     values (?, ?, ?, now(), now() + make_interval(secs => ?), 0)
     on conflict (user_id) do update set email = excluded.email, code_hash = excluded.code_hash, sent_at = excluded.sent_at,
       expires_at = excluded.expires_at, attempts = 0
     where ${table}.sent_at <= now() - make_interval(secs => ?)
     returning user_id`,
    [code.userId, code.email, code.codeHash, code.ttlSeconds, minIntervalSeconds],
  );
  return rows.length === 1;
}

export async function findCode(
  em: EntityManager,
  userId: string,
  table: CodeTable = "email_verification_code",
): Promise<StoredCode | undefined> {
  const [row] = await sql<StoredCode>(em, `select user_id, email, code_hash, expires_at, attempts from ${table} where user_id = ?`, [
    userId,
  ]);
  return row && { ...row, expires_at: toDate(row.expires_at) };
}

/** Counts one wrong try against this very code; undefined when the code has no tries left (or is gone). */
export async function countWrongTry(
  em: EntityManager,
  userId: string,
  codeHash: Buffer,
  maxAttempts: number,
  table: CodeTable = "email_verification_code",
): Promise<number | undefined> {
  const [row] = await sql<{ attempts: number }>(
    em,
    `update ${table} set attempts = attempts + 1
     where user_id = ? and code_hash = ? and attempts < ? returning attempts`,
    [userId, codeHash, maxAttempts],
  );
  return row?.attempts;
}

/** Uses up the code if it still has tries left and has not expired: true when this call consumed it. */
export async function consumeCode(
  em: EntityManager,
  userId: string,
  codeHash: Buffer,
  maxAttempts: number,
  table: CodeTable = "email_verification_code",
): Promise<boolean> {
  const rows = await sql<{ user_id: string }>(
    em,
    `delete from ${table} where user_id = ? and code_hash = ? and attempts < ? and expires_at > now() returning user_id`,
    [userId, codeHash, maxAttempts],
  );
  return rows.length === 1;
}

/** Whether a code of this account was sent less than `seconds` ago. */
export async function codeSentWithin(em: EntityManager, userId: string, seconds: number, table: CodeTable): Promise<boolean> {
  const [row] = await sql<{ recent: boolean }>(
    em,
    `select exists (select 1 from ${table} where user_id = ? and sent_at > now() - make_interval(secs => ?)) as recent`,
    [userId, seconds],
  );
  return Boolean(row?.recent);
}

export async function deleteCode(em: EntityManager, userId: string): Promise<void> {
  await sql(em, "delete from email_verification_code where user_id = ? returning user_id", [userId]);
}
