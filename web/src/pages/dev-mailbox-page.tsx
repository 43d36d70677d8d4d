import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { type FormEvent, useState } from "react";
import { toApiProblem } from "../api/api-problem.ts";
import { useAppServices } from "../app-context.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { validateEmailOnly } from "../forms/validation.ts";
import { hrefFor } from "../routing/hash-route.ts";

const CODE_IN_TEXT = /\b(\d{6})\b/;
// The reset mail links to `<WEB_BASE_URL>/#/reset?token=...`; the mailbox opens the same screen of this app.
const RESET_LINK_IN_TEXT = /#\/reset\?token=([A-Za-z0-9_-]+)/;

export function findCode(text: string): string | undefined {
  return CODE_IN_TEXT.exec(text)?.[1];
}

export function findResetToken(text: string): string | undefined {
  return RESET_LINK_IN_TEXT.exec(text)?.[1];
}

/** Where "Use this code" leads: the screen that asked for the mail. */
function codeHref(purpose: string | null, to: string, code: string): string {
  return purpose === "email-change" ? hrefFor("security", { new_email: to, code }) : hrefFor("verify", { email: to, code });
}

/** Development only: the mails the platform "sent", so a person can read their code. */
export function DevMailboxPage({ params }: { params: URLSearchParams }) {
  const { navigate } = useAppServices();
  const to = params.get("to") ?? "";
  const purpose = params.get("for");
  const [draft, setDraft] = useState(to);
  const [error, setError] = useState<string | undefined>();
  const mail = useQuery(DevMailService.method.listMail, { to }, { enabled: to !== "", retry: false });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const errors = validateEmailOnly(draft.trim());
    setError(errors.email);
    if (!errors.email) navigate("dev-mail", { to: draft.trim(), ...(purpose ? { for: purpose } : {}) });
  }

  const messages = mail.data?.messages ?? [];
  return (
    <Page
      title="Development mailbox"
      intro={<p>Every mail the platform sends in development lands here instead of an inbox. Newest first.</p>}
    >
      <form className="form form--inline" onSubmit={onSubmit} noValidate aria-label="Show mail">
        <TextField name="to" label="Mail sent to" type="email" value={draft} onChange={setDraft} error={error} required />
        <div className="form__actions">
          <button type="submit" className="button">
            Show mail
          </button>
          <button type="button" className="button" onClick={() => mail.refetch()} disabled={!to || mail.isFetching}>
            Refresh
          </button>
        </div>
      </form>
      <StatusMessage tone="info">{mail.isFetching ? "Loading mail…" : null}</StatusMessage>
      <StatusMessage tone="error">{mail.error ? toApiProblem(mail.error).message : null}</StatusMessage>
      {to && mail.isSuccess && messages.length === 0 ? <p className="empty">No mail for {to} yet.</p> : null}
      <ol className="mail-list" aria-label={`Mail for ${to}`}>
        {messages.map((m) => {
          const resetToken = findResetToken(m.text);
          const code = resetToken ? undefined : (findCode(m.text) ?? findCode(m.subject));
          return (
            <li key={`${m.sentAt?.seconds ?? 0}.${m.sentAt?.nanos ?? 0}|${m.subject}`} className="card mail">
              <h2 className="mail__subject">{m.subject}</h2>
              <p className="mail__meta">
                To {m.to}
                {m.sentAt ? `, ${timestampDate(m.sentAt).toLocaleString()}` : ""}
              </p>
              {code ? (
                <p className="mail__code">
                  Code: <strong data-testid="mail-code">{code}</strong> <a href={codeHref(purpose, m.to, code)}>Use this code</a>
                </p>
              ) : null}
              {resetToken ? (
                <p className="mail__code">
                  <a href={hrefFor("reset", { token: resetToken })} data-testid="mail-reset-link">
                    Open the reset link
                  </a>
                </p>
              ) : null}
              <pre className="mail__text">{m.text}</pre>
            </li>
          );
        })}
      </ol>
    </Page>
  );
}
