import { useAppServices } from "../app-context.tsx";
import type { SignedOutReason } from "../auth/session.ts";
import { useSession } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { type LoginValues, validateLogin } from "../forms/validation.ts";
import { hrefFor } from "../routing/hash-route.ts";

const FIELDS = ["username", "password"] as const;

export function LoginForm({ submit }: { submit: (values: LoginValues) => Promise<void> }) {
  const form = useForm<LoginValues>({
    initial: { username: "", password: "" },
    fields: FIELDS,
    validate: validateLogin,
    submit,
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Log in">
      <TextField {...form.field("username")} label="Username or email address" autoComplete="username" required />
      <TextField {...form.field("password")} label="Password" type="password" autoComplete="current-password" required />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Logging in…" : "Log in"}
        </button>
        <a className="form__aside" href={hrefFor("forgot-password", emailParam(form.values.username))}>
          Forgot password?
        </a>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
    </form>
  );
}

// What was typed as the username carries over to the reset screen when it is an email address.
function emailParam(username: string): Record<string, string> | undefined {
  const typed = username.trim();
  return typed.includes("@") ? { email: typed } : undefined;
}

const SIGNED_OUT_NOTICES: Record<SignedOutReason, string> = {
  "logged-out": "You have logged out.",
  expired: "Your session has ended. Please log in again.",
  "logged-out-everywhere": "You have logged out on every device.",
  "password-reset": "Your new password is set and every device was logged out. Log in with the new password.",
  "account-deleted": "Your account and everything in it have been deleted.",
};

export function LoginPage({ reason, onSignedIn }: { reason?: SignedOutReason | undefined; onSignedIn: () => void }) {
  const { clients } = useAppServices();
  const session = useSession();
  async function login(values: LoginValues) {
    const answer = await clients.auth.login({
      username: values.username.trim(),
      password: values.password,
    });
    session.signIn({ access: answer.access, refresh: answer.refresh });
    onSignedIn();
  }
  return (
    <Page
      title="Log in"
      intro={
        <p>
          New here? <a href={hrefFor("register")}>Create an account</a>.
        </p>
      }
    >
      <StatusMessage tone="info">{reason ? SIGNED_OUT_NOTICES[reason] : null}</StatusMessage>
      <LoginForm submit={login} />
    </Page>
  );
}
