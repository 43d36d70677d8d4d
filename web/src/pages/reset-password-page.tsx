import { ErrorReason } from "@identity/proto/error-reasons";
import { isReason } from "../api/api-problem.ts";
import { useAppServices } from "../app-context.tsx";
import { useSession } from "../auth/session-context.tsx";
import { NewPasswordFields } from "../components/new-password-fields.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { useForm } from "../forms/use-form.ts";
import { type PasswordResetValues, validatePasswordReset } from "../forms/validation.ts";
import { hrefFor } from "../routing/hash-route.ts";

const FIELDS = ["new_password", "confirm_password"] as const;
// The contract's shape of a reset token (256 random bits, base64url): anything else is a damaged link.
const RESET_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function ResetPasswordForm({ submit }: { submit: (newPassword: string) => Promise<void> }) {
  const form = useForm<PasswordResetValues>({
    initial: { new_password: "", confirm_password: "" },
    fields: FIELDS,
    validate: validatePasswordReset,
    submit: (values) => submit(values.new_password),
  });
  const linkDead = isReason(form.problem, ErrorReason.RESET_TOKEN_INVALID);
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Choose a new password">
      <NewPasswordFields field={form.field} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Saving…" : "Set new password"}
        </button>
      </div>
      <StatusMessage tone="error">
        {form.formError}
        {linkDead ? (
          <>
            {" "}
            <a href={hrefFor("forgot-password")}>Ask for a new link</a>
          </>
        ) : null}
      </StatusMessage>
    </form>
  );
}

/** The screen the mailed link opens (`#/reset?token=...`). */
export function ResetPasswordPage({ params }: { params: URLSearchParams }) {
  const { clients, navigate } = useAppServices();
  const session = useSession();
  const token = params.get("token") ?? "";
  const linkComplete = RESET_TOKEN.test(token);

  async function confirm(newPassword: string) {
    await clients.auth.confirmPasswordReset({ token, newPassword });
    // The reset ended every session of the account, this tab's included (if it had one).
    session.end("password-reset");
    navigate("login");
  }

  return (
    <Page
      title="Choose a new password"
      intro={linkComplete ? <p>Your new password replaces the old one and logs out every device.</p> : null}
    >
      {linkComplete ? (
        <ResetPasswordForm submit={confirm} />
      ) : (
        <StatusMessage tone="error">
          This link is incomplete: open the link from the email exactly as it was sent, or{" "}
          <a href={hrefFor("forgot-password")}>ask for a new link</a>.
        </StatusMessage>
      )}
    </Page>
  );
}
