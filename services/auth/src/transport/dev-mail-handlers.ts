// DevMailService: the development mailbox. The shared auth interceptor makes it 404 when ENVIRONMENT=prod.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import type { AuthUseCases } from "../application/use-cases.ts";

export function devMailHandlers(useCases: Pick<AuthUseCases, "listDevMail">): ServiceImpl<typeof DevMailService> {
  return {
    async listMail(req) {
      const mails = await useCases.listDevMail(req.to);
      return { messages: mails.map((m) => ({ to: m.to, subject: m.subject, text: m.text, sentAt: timestampFromDate(m.sentAt) })) };
    },
  };
}
