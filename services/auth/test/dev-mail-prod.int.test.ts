import { Code } from "@connectrpc/connect";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { failure, useAuth } from "./support.ts";

const harness = useAuth({
  ENVIRONMENT: "prod",
  SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
  // Production requires these; the harness serves without TLS whatever they say.
  TLS_CERT_FILE: "unused.pem",
  TLS_KEY_FILE: "unused.pem",
  TLS_CA_FILE: "unused.pem",
  KAFKA_BROKERS: "127.0.0.1:9092",
  SMTP_HOST: "127.0.0.1",
  SMTP_FROM: "no-reply@example.com",
});

test("the development mailbox does not exist in production (404)", async () => {
  expect(await failure(harness.client(DevMailService).listMail({ to: "a@example.com" }))).toMatchObject({ code: Code.NotFound });
});
