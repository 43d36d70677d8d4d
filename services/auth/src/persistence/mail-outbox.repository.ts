// The mail outbox's statements. Claiming is `for update skip locked` (replicas share the work); a claimed
// mail is leased (due again only after the lease) while it is sent outside any transaction; a failed send
// pushes it back with a growing delay.
import { newId } from "@identity/shared/ids.ts";
import { LockMode, raw } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { MailOutboxEntity } from "./mail-outbox.entity.ts";

export type MailData = Record<string, string | number | boolean>;

export type QueuedMail = InstanceType<typeof MailOutboxEntity.class>;

const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** Adds a mail to the outbox in the caller's unit of work (its transaction, if any) and flushes it. */
export async function insertQueuedMail(em: EntityManager, kind: string, recipient: string, data: MailData): Promise<void> {
  const now = new Date();
  em.create(MailOutboxEntity, { id: newId(), kind, recipient, data, createdAt: now, attempts: 0, nextAttemptAt: now, composed: null });
  await em.flush();
}

/** Locks the oldest due mail for the caller's transaction; undefined when none is due (or all are taken). */
export async function claimDueMail(tx: EntityManager): Promise<QueuedMail | undefined> {
  const row = await tx.findOne(
    MailOutboxEntity,
    { nextAttemptAt: { $lte: new Date() } },
    {
      orderBy: { nextAttemptAt: "asc", createdAt: "asc" },
      // for update skip locked: replicas each take a different mail.
      lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
      disableIdentityMap: true,
    },
  );
  return row ?? undefined;
}

/** Keeps the sealed composed mail and leases the row: nobody else takes it for `leaseSeconds`. */
export async function leaseQueuedMail(tx: EntityManager, id: string, composed: Buffer, leaseSeconds: number): Promise<void> {
  await tx.nativeUpdate(MailOutboxEntity, { id }, { composed, nextAttemptAt: secondsFromNow(leaseSeconds) });
}

export async function deleteQueuedMail(em: EntityManager, id: string): Promise<void> {
  await em.nativeDelete(MailOutboxEntity, { id });
}

/** Records a failed attempt: the mail is due again after `delaySeconds`. Returns the attempts so far. */
export async function postponeQueuedMail(em: EntityManager, id: string, delaySeconds: number): Promise<number> {
  const [row] = await em
    .createQueryBuilder(MailOutboxEntity)
    .update({ attempts: raw("attempts + 1"), nextAttemptAt: secondsFromNow(delaySeconds) })
    .where({ id })
    .returning(["attempts"])
    .execute("all");
  return Number(row?.attempts ?? 0);
}
