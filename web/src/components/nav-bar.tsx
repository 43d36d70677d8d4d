import { useState } from "react";
import { useAppServices } from "../app-context.tsx";
import { useSession, useSessionState } from "../auth/session-context.tsx";
import { hrefFor, type Route, type RouteName } from "../routing/hash-route.ts";

const SIGNED_IN_LINKS: [RouteName, string][] = [
  ["profile", "Profile"],
  ["directory", "Find people"],
  ["friends", "Friends"],
  ["security", "Security"],
];
const SIGNED_OUT_LINKS: [RouteName, string][] = [
  ["login", "Log in"],
  ["register", "Create account"],
];

export function NavBar({ route }: { route: Route["name"] }) {
  const session = useSession();
  const state = useSessionState();
  const { navigate } = useAppServices();
  const [leaving, setLeaving] = useState(false);
  const links = state.status === "signed-in" ? SIGNED_IN_LINKS : SIGNED_OUT_LINKS;

  async function logout() {
    setLeaving(true);
    try {
      await session.logout();
    } finally {
      setLeaving(false);
      navigate("login");
    }
  }

  return (
    <header className="top">
      <div className="top__inner">
        <a className="brand" href={hrefFor(state.status === "signed-in" ? "profile" : "login")}>
          Identity
        </a>
        {state.status === "restoring" ? null : (
          <nav aria-label="Main">
            <ul className="nav">
              {links.map(([name, label]) => (
                <li key={name}>
                  <a href={hrefFor(name)} aria-current={route === name ? "page" : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {state.status === "signed-in" ? (
          <div className="top__user">
            <span className="top__username">
              Signed in as <strong>{state.claims.username}</strong>
            </span>
            <button type="button" className="button" onClick={logout} disabled={leaving} aria-busy={leaving}>
              {leaving ? "Logging out…" : "Log out"}
            </button>
          </div>
        ) : null}
      </div>
    </header>
  );
}
