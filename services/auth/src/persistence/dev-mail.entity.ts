import { defineEntity, p } from "@mikro-orm/core";

/** Development only: a mail kept instead of sent. */
export const DevMailEntity = defineEntity({
  name: "DevMail",
  tableName: "dev_mail",
  // A mailbox is read newest first, its address compared case-insensitively.
  indexes: [
    {
      name: "dev_mail_recipient_idx",
      expression: "create index dev_mail_recipient_idx on dev_mail (lower(recipient), sent_at desc)",
    },
  ],
  properties: {
    id: p.uuid().primary(),
    recipient: p.text(),
    subject: p.text(),
    body: p.text(),
    sentAt: p.datetime().fieldName("sent_at"),
  },
});
