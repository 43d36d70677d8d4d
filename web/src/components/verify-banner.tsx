import { useSessionState } from "../auth/session-context.tsx";
import { hrefFor } from "../routing/hash-route.ts";

/** Tells an unverified user what they can't do yet, why, and how to fix it. */
export function VerifyBanner() {
  const state = useSessionState();
  if (state.status !== "signed-in" || state.claims.emailVerified) return null;
  return (
    <aside className="banner" aria-label="Email not verified">
      <p>
        <strong>Your email address is not verified yet.</strong> You can browse the directory, but you can't send friend requests until you
        verify it: this keeps people safe from accounts nobody can reach.
      </p>
      <p>
        <a href={hrefFor("verify")}>Enter the code we emailed you</a>, or ask for a new code there.
      </p>
    </aside>
  );
}
