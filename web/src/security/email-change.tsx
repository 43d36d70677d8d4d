import { ErrorReason } from "@identity/proto/error-reasons";
import { useEffect, useRef, useState } from "react";
import { DevMailboxLink } from "../components/dev-mailbox-link.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { useForm } from "../forms/use-form.ts";
import { type CodeValues, type EmailChangeValues, validateCode, validateEmailChange } from "../forms/validation.ts";

export type EmailChangeProps = {
  /** An address a code was already sent to (the step to enter the code), e.g. back from the mailbox. */
  pendingEmail?: string;
  initialCode?: string;
  /** Sends a 6-digit code to the new address (and a notice to the current one). */
  request: (newEmail: string, password: string) => Promise<void>;
  /** Spends the code; answers the address the account now has. */
  confirm: (code: string) => Promise<string>;
  /** After the switch (the screen drops the spent code from its address). */
  onChanged?: () => void;
};

/**
 * Two steps: the new address with the password (so a borrowed, unlocked device cannot take the account
 * over), then the code mailed to that address, which proves it is theirs.
 */
export function EmailChange({ pendingEmail = "", initialCode = "", request, confirm, onChanged }: EmailChangeProps) {
  const [pending, setPending] = useState(pendingEmail);
  const [code, setCode] = useState(initialCode);
  const [changedTo, setChangedTo] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  // A code link opened while the screen is shown (the mailbox's "Use this code") leads to the code step;
  // the address losing its parameters afterwards (onChanged) changes nothing here.
  useEffect(() => {
    if (!pendingEmail) return;
    setPending(pendingEmail);
    setCode(initialCode);
    setChangedTo("");
  }, [pendingEmail, initialCode]);

  return (
    <section className="section" aria-labelledby="email-change-title">
      <h2 id="email-change-title" ref={heading} tabIndex={-1}>
        Email address
      </h2>
      <StatusMessage tone="success">{changedTo ? `Your email address is now ${changedTo}.` : null}</StatusMessage>
      {pending ? (
        <CodeStep
          key={`${pending}|${code}`}
          newEmail={pending}
          initialCode={code}
          confirm={async (entered) => {
            const now = await confirm(entered);
            setPending("");
            setCode("");
            setChangedTo(now || pending);
            heading.current?.focus();
            onChanged?.();
          }}
          startOver={() => {
            setPending("");
            setCode("");
            heading.current?.focus();
          }}
        />
      ) : (
        <RequestStep
          request={async (newEmail, password) => {
            setChangedTo("");
            await request(newEmail, password);
            setPending(newEmail);
          }}
        />
      )}
    </section>
  );
}

function RequestStep({ request }: { request: (newEmail: string, password: string) => Promise<void> }) {
  const form = useForm<EmailChangeValues>({
    initial: { new_email: "", password: "" },
    fields: ["new_email", "password"],
    validate: (v) => validateEmailChange({ ...v, new_email: v.new_email.trim() }),
    reasonFields: { [ErrorReason.EMAIL_TAKEN]: "new_email" },
    submit: (values) => request(values.new_email.trim(), values.password),
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Change your email address">
      <p className="form__lead">We send a code to the new address; your current address gets a notice.</p>
      <TextField {...form.field("new_email")} label="New email address" type="email" autoComplete="email" required />
      <TextField
        {...form.field("password")}
        label="Your password"
        hint="To make sure it is you."
        type="password"
        autoComplete="current-password"
        required
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Sending…" : "Send a code to the new address"}
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
    </form>
  );
}

type CodeStepProps = { newEmail: string; initialCode: string; confirm: (code: string) => Promise<void>; startOver: () => void };

function CodeStep({ newEmail, initialCode, confirm, startOver }: CodeStepProps) {
  const form = useForm<CodeValues>({
    initial: { code: initialCode },
    fields: ["code"],
    validate: validateCode,
    submit: (values) => confirm(values.code),
    // The step appears in place of the first one: the focus goes to what is to be done now.
    focusOnMount: true,
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Confirm your new email address">
      <StatusMessage tone="info">{`We sent a 6-digit code to ${newEmail}. Enter it to switch to this address.`}</StatusMessage>
      <TextField
        {...form.field("code")}
        label="Code from the email"
        hint="6 digits, valid for 10 minutes."
        inputMode="numeric"
        autoComplete="one-time-code"
        required
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Confirming…" : "Confirm new address"}
        </button>
        <button type="button" className="button" onClick={startOver} disabled={form.pending}>
          Use another address or get a new code
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
      <DevMailboxLink email={newEmail} purpose="email-change" />
    </form>
  );
}
