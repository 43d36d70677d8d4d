// The mail relay: sends what the mail outbox holds, after the answers that queued it.
// Per mail: a short transaction claims it (skip locked, so replicas share the work), composes it (which may
// store a code's hash) and keeps it sealed with a lease; the send happens outside any transaction (SMTP
// never holds a database connection, and the embedded mode's single PGlite connection stays free); then the
// row is deleted. A failed send keeps the composed mail and retries it with a growing delay; after
// MAX_ATTEMPTS it is dropped and logged (id and kind, never the address or the content). A crash during a
// send sends it again after the lease (at least once).
// Woken after every commit that queued a mail (an ORM transaction subscriber), else it polls.

import type { Logger } from "@identity/shared/logger.ts";
import { createWorkerLoop, type WorkerLoop } from "@identity/shared/outbox/worker-loop.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { MailComposer, MailQueue } from "../application/mail-queue.ts";
import type { MailSender, OutgoingMail } from "../application/ports.ts";
import { MailOutboxEntity } from "../persistence/mail-outbox.entity.ts";
import {
  claimDueMail,
  deleteQueuedMail,
  insertQueuedMail,
  leaseQueuedMail,
  postponeQueuedMail,
} from "../persistence/mail-outbox.repository.ts";
import { seal, unseal } from "./key-encryption.ts";

export interface MailRelayOptions {
  orm: MikroORM;
  sender: MailSender;
  composers: Readonly<Record<string, MailComposer>>;
  /** AES-256-GCM key that seals composed mails while they wait. */
  sealingKey: Buffer;
  logger: Logger;
  /** Poll interval when not woken by a commit (default 200 ms). */
  idleDelayMs?: number;
}

export interface MailRelay extends MailQueue {
  start(): void;
  stop(): Promise<void>;
  /** Handles the oldest due mail; false when none was due. */
  deliverOnce(): Promise<boolean>;
}

export const MAX_ATTEMPTS = 8;
/** How long a claimed mail is left to its sender before another replica may send it. */
const LEASE_SECONDS = 120;
/** 10 s, 20 s, 40 s ... capped at 30 min. */
const retryDelaySeconds = (attempts: number) => Math.min(10 * 2 ** attempts, 1800);

export function createMailRelay(options: MailRelayOptions): MailRelay {
  const { orm, sender, composers, logger, sealingKey } = options;
  const idleDelayMs = options.idleDelayMs ?? 200;
  const loop = createWorkerLoop({ orm, queue: MailOutboxEntity, run: (worker) => run(worker) });
  const { wakeup } = loop;

  /** Claims and composes (or reopens) the oldest due mail: undefined when none is due. */
  const claim = () =>
    orm.em.fork().transactional(async (tx) => {
      const row = await claimDueMail(tx);
      if (!row) return undefined;
      if (row.composed) {
        await leaseQueuedMail(tx, row.id, row.composed, LEASE_SECONDS);
        return { ...row, mail: JSON.parse(unseal(sealingKey, row.id, row.composed).toString("utf8")) as OutgoingMail };
      }
      const compose = composers[row.kind];
      if (!compose) logger.error({ mailId: row.id, kind: row.kind }, "mail relay: no composer for this kind; dropped");
      const mail = compose ? await compose(tx, { to: row.recipient, data: row.data }) : undefined;
      if (mail) await leaseQueuedMail(tx, row.id, seal(sealingKey, row.id, Buffer.from(JSON.stringify(mail))), LEASE_SECONDS);
      else await deleteQueuedMail(tx, row.id);
      return { ...row, mail };
    });

  const deliverOnce = async (): Promise<boolean> => {
    wakeup.begin();
    const claimed = await claim();
    if (!claimed) return false;
    if (!claimed.mail) return true;
    try {
      await sender.send(claimed.mail);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const attempts = await postponeQueuedMail(orm.em.fork(), claimed.id, retryDelaySeconds(claimed.attempts));
      const fields = { mailId: claimed.id, kind: claimed.kind, attempts, error };
      if (attempts < MAX_ATTEMPTS) logger.warn(fields, "mail relay: mail not sent, will retry");
      else {
        await deleteQueuedMail(orm.em.fork(), claimed.id);
        logger.error(fields, "mail relay: mail not sent, given up");
      }
      return true;
    }
    await deleteQueuedMail(orm.em.fork(), claimed.id);
    return true;
  };

  const run = async (worker: WorkerLoop) => {
    while (worker.isRunning()) {
      try {
        if (!(await deliverOnce())) await wakeup.sleep(idleDelayMs);
      } catch (err) {
        logger.warn({ err }, "mail relay: database unavailable; retrying");
        await wakeup.sleep(idleDelayMs * 10);
      }
    }
  };

  return {
    async queue(em, kind, to, data = {}) {
      if (!composers[kind]) throw new Error(`no mail composer for kind ${kind}`);
      await insertQueuedMail(em, kind, to, data);
    },
    start: loop.start,
    stop: loop.stop,
    deliverOnce,
  };
}
