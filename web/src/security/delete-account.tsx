import { useRef, useState } from "react";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { type PasswordValues, validatePassword } from "../forms/validation.ts";

/**
 * Deleting cannot be undone, so it takes two deliberate steps: open the confirmation, then confirm with
 * the password. The confirmation is part of the page (not a modal), so focus and reading order stay simple.
 */
export function DeleteAccount({ submit }: { submit: (password: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <section className="section section--danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p className="section__lead">
        Your profile leaves the directory, your friendships and friend requests end, and every device is logged out. Your username and email
        address become free for anyone to register. This cannot be undone.
      </p>
      {open ? (
        <DeleteConfirmation
          submit={submit}
          cancel={() => {
            setOpen(false);
            // Back to where the person was, not to the top of the page.
            requestAnimationFrame(() => opener.current?.focus());
          }}
        />
      ) : (
        <button ref={opener} type="button" className="button button--danger" onClick={() => setOpen(true)}>
          Delete my account…
        </button>
      )}
    </section>
  );
}

// Takes the focus when it appears in place of the button that opened it.
function DeleteConfirmation({ submit, cancel }: { submit: (password: string) => Promise<void>; cancel: () => void }) {
  const form = useForm<PasswordValues>({
    initial: { password: "" },
    fields: ["password"],
    validate: validatePassword,
    submit: (values) => submit(values.password),
    focusOnMount: true,
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Confirm the deletion of your account">
      <TextField
        {...form.field("password")}
        label="Your password"
        hint="To confirm that you want your account deleted."
        type="password"
        autoComplete="current-password"
        required
      />
      <div className="form__actions">
        <button type="submit" className="button button--danger" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Deleting…" : "Delete my account for good"}
        </button>
        <button type="button" className="button" onClick={cancel} disabled={form.pending}>
          Keep my account
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
    </form>
  );
}
