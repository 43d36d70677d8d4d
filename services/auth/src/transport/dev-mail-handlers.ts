// DevMailService: the development mailbox. The shared auth interceptor makes it 404 when ENVIRONMENT=prod.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import type { DevMailbox } from "../adapters/dev-mailbox.ts";

export function registerDevMailService(router: ConnectRouter, mailbox: DevMailbox): void {
  router.service(DevMailService, {
    async listMail(req) {
      const mails = await mailbox.list(req.to);
      return { messages: mails.map((m) => ({ to: m.to, subject: m.subject, text: m.text, sentAt: timestampFromDate(m.sentAt) })) };
    },
  });
}
