import { useAppServices } from "../app-context.tsx";
import { useSession } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { type RegisterValues, validateRegister } from "../forms/validation.ts";
import { hrefFor } from "../routing/hash-route.ts";

const FIELDS = ["username", "email", "password", "first_name", "last_name"] as const;

export function RegisterForm({ submit }: { submit: (values: RegisterValues) => Promise<void> }) {
  const form = useForm<RegisterValues>({
    initial: {
      username: "",
      email: "",
      password: "",
      first_name: "",
      last_name: "",
    },
    fields: FIELDS,
    validate: validateRegister,
    submit,
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Create an account">
      <TextField
        {...form.field("username")}
        label="Username"
        hint="3 to 30 letters, digits, dots or underscores."
        autoComplete="username"
        required
      />
      <TextField {...form.field("email")} label="Email address" type="email" autoComplete="email" required />
      <TextField
        {...form.field("password")}
        label="Password"
        type="password"
        hint="At least 8 characters."
        autoComplete="new-password"
        required
      />
      <TextField {...form.field("first_name")} label="First name" autoComplete="given-name" />
      <TextField {...form.field("last_name")} label="Last name" autoComplete="family-name" />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Creating account…" : "Create account"}
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
    </form>
  );
}

export function RegisterPage() {
  const { clients, navigate } = useAppServices();
  const session = useSession();
  async function register(values: RegisterValues) {
    const answer = await clients.auth.register(values);
    session.signIn({ access: answer.access, refresh: answer.refresh });
    navigate("verify", {
      email: answer.user?.email ?? values.email,
      sent: "1",
    });
  }
  return (
    <Page
      title="Create an account"
      intro={
        <p>
          Already have one? <a href={hrefFor("login")}>Log in</a>.
        </p>
      }
    >
      <RegisterForm submit={register} />
    </Page>
  );
}
