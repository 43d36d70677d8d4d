import { defineEntity, p } from "@mikro-orm/core";

/** Development only: a mail kept instead of sent. */
export const DevMailEntity = defineEntity({
  name: "DevMail",
  tableName: "dev_mail",
  properties: {
    id: p.uuid().primary(),
    recipient: p.string(),
    subject: p.string(),
    body: p.text(),
    sentAt: p.datetime().fieldName("sent_at"),
  },
});
