import { useRef, useState } from "react";
import { toApiProblem } from "../api/api-problem.ts";
import { StatusMessage } from "../components/status-message.tsx";
import { describeUserAgent } from "./user-agent.ts";

/** One live session of the caller, as the list shows it. */
export type SessionView = {
  id: string;
  createdAt: Date | undefined;
  lastUsedAt: Date | undefined;
  userAgent: string;
  clientAddress: string;
  /** The session of this tab. */
  current: boolean;
};

export type SessionListProps = {
  sessions: SessionView[] | undefined;
  loading: boolean;
  loadError: unknown;
  /** Ends another session. */
  revoke: (id: string) => Promise<void>;
  /** Ends this tab's session (a normal logout). */
  logoutHere: () => Promise<void>;
  /** Ends every session, this one included. */
  logoutEverywhere: () => Promise<void>;
};

type Outcome = { tone: "success" | "error"; text: string };

function When({ date }: { date: Date | undefined }) {
  if (!date) return <>unknown</>;
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}

export function SessionList(props: SessionListProps) {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  async function act(key: string, run: () => Promise<void>, done: string) {
    setBusy(key);
    setOutcome(null);
    try {
      await run();
      setOutcome({ tone: "success", text: done });
      // The button just used leaves with its session: the focus goes back to the top of the list.
      heading.current?.focus();
    } catch (err) {
      setOutcome({ tone: "error", text: toApiProblem(err).message });
    } finally {
      setBusy(null);
    }
  }

  const sessions = props.sessions ?? [];
  return (
    <section className="section" aria-labelledby="sessions-title">
      <h2 id="sessions-title" ref={heading} tabIndex={-1}>
        Where you are logged in
      </h2>
      <p className="section__lead">Every browser or app logged in to your account, newest first. Log out any you do not recognise.</p>
      <StatusMessage tone={outcome?.tone ?? "success"}>{outcome?.text}</StatusMessage>
      {props.loading ? <p className="loading">Loading your sessions…</p> : null}
      {props.loadError ? <p className="status status--error">{toApiProblem(props.loadError).message}</p> : null}
      {!props.loading && !props.loadError && sessions.length === 0 ? <p className="empty">No sessions.</p> : null}
      {sessions.length > 0 ? (
        <ul className="sessions" aria-labelledby="sessions-title">
          {sessions.map((s) => {
            const device = describeUserAgent(s.userAgent);
            // Two sessions may share browser and address; the login time tells their buttons apart.
            const name = `${device}${s.clientAddress ? ` at ${s.clientAddress}` : ""}${s.createdAt ? `, logged in ${s.createdAt.toLocaleString()}` : ""}`;
            return (
              <li key={s.id} className="card session">
                <div className="session__about">
                  <p className="session__device">
                    <strong>{device}</strong>
                    {s.current ? <span className="tag tag--friends">This device</span> : null}
                  </p>
                  <dl className="session__facts">
                    <div>
                      <dt>Logged in</dt>
                      <dd>
                        <When date={s.createdAt} />
                      </dd>
                    </div>
                    <div>
                      <dt>Last used</dt>
                      <dd>
                        <When date={s.lastUsedAt} />
                      </dd>
                    </div>
                    <div>
                      <dt>Address</dt>
                      <dd>{s.clientAddress || "unknown"}</dd>
                    </div>
                  </dl>
                  {s.userAgent ? <p className="session__agent">{s.userAgent}</p> : null}
                </div>
                {s.current ? (
                  <button type="button" className="button" disabled={busy !== null} onClick={() => act(s.id, props.logoutHere, "")}>
                    Log out this device
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={busy !== null}
                    aria-busy={busy === s.id}
                    aria-label={`Log out ${name}`}
                    onClick={() => act(s.id, () => props.revoke(s.id), `${name} is logged out.`)}
                  >
                    {busy === s.id ? "Logging out…" : "Log out"}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          aria-busy={busy === "all"}
          onClick={() => act("all", props.logoutEverywhere, "")}
        >
          {busy === "all" ? "Logging out everywhere…" : "Log out everywhere"}
        </button>
        <span className="form__note">Ends every session, this one included.</span>
      </div>
    </section>
  );
}
