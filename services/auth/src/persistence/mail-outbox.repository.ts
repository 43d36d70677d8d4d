// The mail outbox's statements. Claiming is `for update skip locked` (replicas share the work); a claimed
// mail is leased (due again only after the lease) while it is sent outside any transaction; a failed send
// pushes it back with a growing delay.
import { newId } from "@identity/shared/ids.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { MailOutboxEntity } from "./mail-outbox.entity.ts";
import { sql } from "./sql.ts";

export type MailData = Record<string, string | number | boolean>;

export interface QueuedMail {
  id: string;
  kind: string;
  recipient: string;
  data: MailData;
  attempts: number;
  /** The sealed composed mail of an earlier attempt, if any. */
  composed: Buffer | null;
}

/** Adds a mail to the outbox in the caller's unit of work (its transaction, if any) and flushes it. */
export async function insertQueuedMail(em: EntityManager, kind: string, recipient: string, data: MailData): Promise<void> {
  const now = new Date();
  em.create(MailOutboxEntity, { id: newId(), kind, recipient, data, createdAt: now, attempts: 0, nextAttemptAt: now, composed: null });
  await em.flush();
}

/** Locks the oldest due mail for the caller's transaction; undefined when none is due (or all are taken). */
export async function claimDueMail(tx: EntityManager): Promise<QueuedMail | undefined> {
  const [row] = await sql<QueuedMail>(
    tx,
    `select id, kind, recipient, data, attempts, composed from mail_outbox where next_attempt_at <= now()
     order by next_attempt_at, created_at limit 1 for update skip locked`,
  );
  return row;
}

/** Keeps the sealed composed mail and leases the row: nobody else takes it for `leaseSeconds`. */
export async function leaseQueuedMail(tx: EntityManager, id: string, composed: Buffer, leaseSeconds: number): Promise<void> {
  await sql(tx, "update mail_outbox set composed = ?, next_attempt_at = now() + make_interval(secs => ?) where id = ? returning id", [
    composed,
    leaseSeconds,
    id,
  ]);
}

export async function deleteQueuedMail(em: EntityManager, id: string): Promise<void> {
  await sql(em, "delete from mail_outbox where id = ? returning id", [id]);
}

/** Records a failed attempt: the mail is due again after `delaySeconds`. Returns the attempts so far. */
export async function postponeQueuedMail(em: EntityManager, id: string, delaySeconds: number): Promise<number> {
  const [row] = await sql<{ attempts: number }>(
    em,
    "update mail_outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ?) where id = ? returning attempts",
    [delaySeconds, id],
  );
  return Number(row?.attempts ?? 0);
}
