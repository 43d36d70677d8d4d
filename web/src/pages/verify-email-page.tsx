import { useState } from "react";
import { toApiProblem } from "../api/api-problem.ts";
import { useAppServices } from "../app-context.tsx";
import { useSession, useSessionState } from "../auth/session-context.tsx";
import { DevMailboxLink } from "../components/dev-mailbox-link.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { type VerifyValues, validateEmailOnly, validateVerify } from "../forms/validation.ts";
import { hrefFor } from "../routing/hash-route.ts";

const FIELDS = ["email", "code"] as const;

export type VerifyFormProps = {
  initial: VerifyValues;
  submit: (values: VerifyValues) => Promise<void>;
  resend: (email: string) => Promise<void>;
};

export function VerifyForm({ initial, submit, resend }: VerifyFormProps) {
  const form = useForm<VerifyValues>({
    initial,
    fields: FIELDS,
    validate: validateVerify,
    submit,
  });
  const [resendState, setResendState] = useState<{
    tone: "success" | "error";
    text: string;
  } | null>(null);
  const [resending, setResending] = useState(false);

  async function onResend() {
    const errors = validateEmailOnly(form.values.email);
    if (errors.email) {
      setResendState({
        tone: "error",
        text: `To send a new code: ${errors.email}`,
      });
      return;
    }
    setResending(true);
    setResendState(null);
    try {
      await resend(form.values.email);
      setResendState({
        tone: "success",
        text: "If an account uses this address, a new code is on its way. The previous code no longer works.",
      });
    } catch (err) {
      setResendState({ tone: "error", text: toApiProblem(err).message });
    } finally {
      setResending(false);
    }
  }

  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Verify your email address">
      <TextField {...form.field("email")} label="Email address" type="email" autoComplete="email" required />
      <TextField
        {...form.field("code")}
        label="Verification code"
        hint="The 6 digits from the email. A code is valid for 10 minutes."
        inputMode="numeric"
        autoComplete="one-time-code"
        required
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Verifying…" : "Verify email"}
        </button>
        <button type="button" className="button" onClick={onResend} aria-busy={resending} disabled={resending}>
          {resending ? "Sending…" : "Send a new code"}
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
      <StatusMessage tone={resendState?.tone ?? "success"}>{resendState?.text}</StatusMessage>
      <DevMailboxLink email={form.values.email} />
    </form>
  );
}

export function VerifyEmailPage({ params }: { params: URLSearchParams }) {
  const { clients, navigate } = useAppServices();
  const session = useSession();
  const state = useSessionState();
  const [verifiedSignedOut, setVerifiedSignedOut] = useState(false);
  const email = params.get("email") ?? "";

  async function verify(values: VerifyValues) {
    await clients.auth.verifyEmail(values);
    if (session.getState().status === "signed-in") {
      // The access token carries email_verified; a fresh one makes the change visible at once.
      await session.refresh();
      navigate("profile", { verified: "1" });
    } else {
      setVerifiedSignedOut(true);
    }
  }

  async function resend(to: string) {
    await clients.auth.resendVerificationCode({ email: to });
  }

  return (
    <Page
      title="Verify your email address"
      intro={
        <p>
          {params.get("sent") && email
            ? `We sent a 6-digit code to ${email}. Enter it below.`
            : "Enter the 6-digit code we emailed you. Until then you can browse, but not send friend requests."}
        </p>
      }
    >
      <StatusMessage tone="success">
        {verifiedSignedOut ? (
          <>
            Your email address is verified. <a href={hrefFor("login")}>Log in</a> to continue.
          </>
        ) : null}
      </StatusMessage>
      <VerifyForm
        key={`${email}|${params.get("code") ?? ""}`}
        initial={{ email, code: params.get("code") ?? "" }}
        submit={verify}
        resend={resend}
      />
      {state.status === "signed-in" ? (
        <p>
          <a href={hrefFor("profile")}>Skip for now</a>
        </p>
      ) : null}
    </Page>
  );
}
