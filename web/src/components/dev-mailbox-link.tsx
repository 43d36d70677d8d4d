import { useQuery } from "@connectrpc/connect-query";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { useAppServices } from "../app-context.tsx";
import { hrefFor } from "../routing/hash-route.ts";

// In "auto" mode the link appears only when the gateway answers DevMailService, which exists only in
// development (ENVIRONMENT=dev); production builds may also switch it off with VITE_DEV_MAILBOX=off.
const PROBE_ADDRESS = "dev-mailbox-probe@example.com";

export function useDevMailboxAvailable(): boolean {
  const { config } = useAppServices();
  const probe = useQuery(
    DevMailService.method.listMail,
    { to: PROBE_ADDRESS },
    {
      enabled: config.devMailbox === "auto",
      retry: false,
      staleTime: Number.POSITIVE_INFINITY,
    },
  );
  if (config.devMailbox === "on") return true;
  if (config.devMailbox === "off") return false;
  return probe.isSuccess;
}

/** Where a mailbox code leads: the verify screen (default) or the email change on the security screen. */
export type MailPurpose = "verify" | "email-change";

export function DevMailboxLink({ email, what = "the code", purpose }: { email: string; what?: string; purpose?: MailPurpose }) {
  const available = useDevMailboxAvailable();
  if (!available) return null;
  const params: Record<string, string> = {};
  if (email) params.to = email;
  if (purpose && purpose !== "verify") params.for = purpose;
  return (
    <p className="dev-note">
      <span className="badge">Development</span> No real email is sent here.{" "}
      <a href={hrefFor("dev-mail", Object.keys(params).length > 0 ? params : undefined)}>Open the development mailbox</a> to read {what}.
    </p>
  );
}
