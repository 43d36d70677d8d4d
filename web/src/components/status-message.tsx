import type { ReactNode } from "react";

/**
 * A live region that is always in the page, so screen readers announce what is put into it:
 * "polite" for outcomes (saved, sent), "assertive" (role=alert) for errors next to an action.
 */
export function StatusMessage({ tone, children }: { tone: "info" | "success" | "error"; children?: ReactNode }) {
  const isError = tone === "error";
  return (
    <div
      className={`status status--${tone}${children ? "" : " status--empty"}`}
      role={isError ? "alert" : "status"}
      aria-live={isError ? "assertive" : "polite"}
    >
      {children}
    </div>
  );
}
