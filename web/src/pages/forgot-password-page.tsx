import { useState } from "react";
import { useAppServices } from "../app-context.tsx";
import { DevMailboxLink } from "../components/dev-mailbox-link.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { validateEmailOnly } from "../forms/validation.ts";
import { hrefFor } from "../routing/hash-route.ts";

const FIELDS = ["email"] as const;
type ForgotValues = { email: string };

// The server answers the same for every address, so the page cannot (and must not) say whether an
// account exists: the confirmation is worded for both cases.
const SENT =
  "If an account uses this address, we have emailed it a link to choose a new password. The link works once, for 30 minutes; asking again sends a new link and the older one stops working.";

export function ForgotPasswordForm({ initialEmail, submit }: { initialEmail: string; submit: (email: string) => Promise<void> }) {
  const [sentTo, setSentTo] = useState("");
  const form = useForm<ForgotValues>({
    initial: { email: initialEmail },
    fields: FIELDS,
    validate: (v) => validateEmailOnly(v.email.trim()),
    submit: async (values) => {
      setSentTo("");
      await submit(values.email.trim());
      setSentTo(values.email.trim());
    },
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Reset your password">
      <TextField {...form.field("email")} label="Email address" type="email" autoComplete="email" required />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Sending…" : "Email me a reset link"}
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
      <StatusMessage tone="success">{sentTo && !form.formError ? SENT : null}</StatusMessage>
      {sentTo ? <DevMailboxLink email={sentTo} what="the link" /> : null}
    </form>
  );
}

export function ForgotPasswordPage({ params }: { params: URLSearchParams }) {
  const { clients } = useAppServices();
  async function requestReset(email: string) {
    await clients.auth.requestPasswordReset({ email });
  }
  return (
    <Page
      title="Forgot your password?"
      intro={<p>Enter the email address of your account. We will send you a link to choose a new password.</p>}
    >
      <ForgotPasswordForm initialEmail={params.get("email") ?? ""} submit={requestReset} />
      <p>
        Remembered it? <a href={hrefFor("login")}>Log in</a>.
      </p>
    </Page>
  );
}
