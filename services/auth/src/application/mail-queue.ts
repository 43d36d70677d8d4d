// Mail after the answer: a use case queues a mail in its own transaction (one call, `queue`); the mail relay
// composes and sends it later. No answer waits for SMTP, and an answer that must not tell whether an address
// exists (resend, password reset) does the same work either way: it queues, the relay decides.
//
// A mail kind has a composer, run by the relay inside the transaction that claimed the mail: it may look
// the account up, make a code or token and store its hash, and returns the mail, or undefined to drop it
// (unknown address, too soon). Secrets are made there, so none ever rests in the outbox.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { MailData } from "../persistence/mail-outbox.repository.ts";
import type { OutgoingMail } from "./ports.ts";

export type { MailData };

export type MailComposer = (tx: EntityManager, queued: { to: string; data: MailData }) => Promise<OutgoingMail | undefined>;

export interface MailQueue {
  /** Queues a mail of `kind` to `to`, in `em`'s transaction when it has one; never a secret in `data`. */
  queue(em: EntityManager, kind: string, to: string, data?: MailData): Promise<void>;
}
