// Development mail: kept in the dev_mail table (so that every replica, and a test, can read it) instead of
// being sent. Served by DevMailService, which exists only when ENVIRONMENT=dev.

import type { MikroORM } from "@mikro-orm/postgresql";
import type { MailSender, OutgoingMail } from "../application/ports.ts";
import { findDevMailTo, insertDevMail } from "../persistence/dev-mail.repository.ts";

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
      await insertDevMail(orm.em.fork(), { recipient: mail.to, subject: mail.subject, body: mail.text, sentAt: new Date() });
    },
    async list(to, limit = 50) {
      const rows = await findDevMailTo(orm.em.fork(), to, limit);
      return rows.map((r) => ({ to: r.recipient, subject: r.subject, text: r.body, sentAt: r.sentAt }));
    },
  };
}
