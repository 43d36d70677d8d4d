// Mailed codes: the verification code of a new account's address, and the code that confirms a change of
// address (same row shape, two tables). Wrong tries are counted by one conditional `attempts = attempts + 1`
// update, so that 50 parallel wrong guesses count exactly up to the limit; a new code replaces the row (the
// old one dies).
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import { raw } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { EmailChangeCodeEntity, type MailedCode, VerificationCodeEntity } from "./verification-code.entity.ts";

export type { MailedCode };

/** Which code: of the account's own address, or of the address it is changing to. */
export type CodeKind = "verification" | "email_change";

const entityOf = (kind: CodeKind) => (kind === "verification" ? VerificationCodeEntity : EmailChangeCodeEntity);
const tableOf = (kind: CodeKind) => (kind === "verification" ? "email_verification_code" : "email_change_code");

/**
 * Stores a new code for the account unless one was sent less than `minIntervalSeconds` ago (then nothing
 * changes). True when stored: the caller then mails it.
 */
export async function replaceCode(
  em: EntityManager,
  code: { userId: string; email: string; codeHash: Buffer; ttlSeconds: number },
  minIntervalSeconds: number,
  kind: CodeKind = "verification",
): Promise<boolean> {
  const table = tableOf(kind);
  // Insert or replace only if the live code is older than the interval: checked and written in one statement under the row lock.
  const rows = await atomicSql<{ user_id: string }>(
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

export async function findCode(em: EntityManager, userId: string, kind: CodeKind = "verification"): Promise<MailedCode | undefined> {
  return (await em.findOne(entityOf(kind), { userId }, { disableIdentityMap: true })) ?? undefined;
}

/** Counts one wrong try against this very code; false when the code has no tries left (or is gone). */
export async function countWrongTry(
  em: EntityManager,
  userId: string,
  codeHash: Buffer,
  maxAttempts: number,
  kind: CodeKind = "verification",
): Promise<boolean> {
  // The database adds the try and checks the limit in one conditional update: parallel wrong tries each count.
  const counted = await em.nativeUpdate(
    entityOf(kind),
    { userId, codeHash, attempts: { $lt: maxAttempts } },
    { attempts: raw("attempts + 1") },
  );
  return counted === 1;
}

/** Uses up the code if it still has tries left and has not expired: true when this call consumed it. */
export async function consumeCode(
  em: EntityManager,
  userId: string,
  codeHash: Buffer,
  maxAttempts: number,
  kind: CodeKind = "verification",
): Promise<boolean> {
  const deleted = await em.nativeDelete(entityOf(kind), {
    userId,
    codeHash,
    attempts: { $lt: maxAttempts },
    expiresAt: { $gt: new Date() },
  });
  return deleted === 1;
}

/** Whether a code of this account was sent less than `seconds` ago. */
export async function codeSentWithin(em: EntityManager, userId: string, seconds: number, kind: CodeKind): Promise<boolean> {
  return (await em.count(entityOf(kind), { userId, sentAt: { $gt: new Date(Date.now() - seconds * 1000) } })) > 0;
}

export async function deleteCode(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(VerificationCodeEntity, { userId });
}
