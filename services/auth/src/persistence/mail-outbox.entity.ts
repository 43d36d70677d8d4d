import { defineEntity, p } from "@mikro-orm/core";

/**
 * A mail to send after the answer (the mail outbox): written in the transaction of the request, composed and
 * sent by the mail relay, deleted once sent. `data` holds what the composer of `kind` needs and never a
 * secret: codes and tokens are made by the composer at delivery. The composed mail is kept, sealed
 * (AES-256-GCM), only while its send is under way or waiting for a retry.
 */
export const MailOutboxEntity = defineEntity({
  name: "MailOutbox",
  tableName: "mail_outbox",
  // The relay claims due rows, oldest first.
  indexes: [{ name: "mail_outbox_due_idx", properties: ["nextAttemptAt", "createdAt"] }],
  properties: {
    id: p.uuid().primary(),
    kind: p.text(),
    recipient: p.text(),
    data: p.json<Record<string, string | number | boolean>>().defaultRaw("'{}'"),
    createdAt: p.datetime().fieldName("created_at"),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().fieldName("next_attempt_at"),
    composed: p.blob().$type<Buffer>().nullable(),
  },
});
