// Development mail: kept in the dev_mail table (so that every replica, and a test, can read it) instead of
// being sent. Served by DevMailService, which exists only when ENVIRONMENT=dev.

import { newId } from "@identity/shared/ids.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { MailSender, OutgoingMail } from "../application/ports.ts";
import { DevMailEntity } from "../persistence/dev-mail.entity.ts";
import { toDate } from "../persistence/sql.ts";

export interface KeptMail extends OutgoingMail {
  sentAt: Date;
}

export interface DevMailbox extends MailSender {
  /** Mails sent to one address (case-insensitive), newest first. */
  list(to: string, limit?: number): Promise<KeptMail[]>;
}

export function createDevMailbox(orm: MikroORM): DevMailbox {
  return {
    async send(mail) {
      const em = orm.em.fork();
      em.create(DevMailEntity, { id: newId(), recipient: mail.to, subject: mail.subject, body: mail.text, sentAt: new Date() });
      await em.flush();
    },
    async list(to, limit = 50) {
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<{ recipient: string; subject: string; body: string; sent_at: Date | string }[]>(
          "select recipient, subject, body, sent_at from dev_mail where lower(recipient) = lower(?) order by sent_at desc, id desc limit ?",
          [to, limit],
        );
      return rows.map((r) => ({ to: r.recipient, subject: r.subject, text: r.body, sentAt: toDate(r.sent_at) }));
    },
  };
}
