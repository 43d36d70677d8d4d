import { ErrorReason } from "@identity/proto/error-reasons";
import { useState } from "react";
import { NewPasswordFields } from "../components/new-password-fields.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { type PasswordChangeValues, validatePasswordChange } from "../forms/validation.ts";

const FIELDS = ["current_password", "new_password", "confirm_password"] as const;
const EMPTY: PasswordChangeValues = { current_password: "", new_password: "", confirm_password: "" };

export type PasswordChangeFormProps = {
  /** Changes the password; this tab keeps its session (with a fresh token pair), every other one ends. */
  submit: (currentPassword: string, newPassword: string) => Promise<void>;
};

export function PasswordChangeForm({ submit }: PasswordChangeFormProps) {
  const [changed, setChanged] = useState(false);
  const form = useForm<PasswordChangeValues>({
    initial: EMPTY,
    fields: FIELDS,
    validate: validatePasswordChange,
    // Both reasons are about a password; in this form each means a different one of them.
    reasonFields: { [ErrorReason.PASSWORD_INCORRECT]: "current_password", [ErrorReason.PASSWORD_TOO_COMMON]: "new_password" },
    submit: async (values) => {
      setChanged(false);
      await submit(values.current_password, values.new_password);
      form.setValues(EMPTY);
      setChanged(true);
    },
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Change your password">
      <TextField {...form.field("current_password")} label="Current password" type="password" autoComplete="current-password" required />
      <NewPasswordFields field={form.field} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Changing…" : "Change password"}
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
      <StatusMessage tone="success">
        {changed && !form.formError ? "Your password is changed. Every other device was logged out; this one stays logged in." : null}
      </StatusMessage>
    </form>
  );
}
