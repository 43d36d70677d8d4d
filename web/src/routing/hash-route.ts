import { useCallback, useSyncExternalStore } from "react";

// Hash routes (`#/friends`): the gateway only ever serves index.html at `/`, so no server-side fallback
// is needed and a reload lands on the same screen.

export const ROUTE_NAMES = [
  "login",
  "register",
  "verify",
  "dev-mail",
  "forgot-password",
  "reset",
  "profile",
  "directory",
  "friends",
  "security",
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export type Route = { name: RouteName | "unknown"; params: URLSearchParams };

export function parseHash(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const params = new URLSearchParams(query);
  if (path === "") return { name: "profile", params };
  const name = (ROUTE_NAMES as readonly string[]).includes(path) ? (path as RouteName) : "unknown";
  return { name, params };
}

export function hrefFor(name: RouteName, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : "";
  return `#/${name}${query ? `?${query}` : ""}`;
}

function subscribe(onChange: () => void) {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

const currentHash = () => window.location.hash;

export function useHashRoute(): [Route, (name: RouteName, params?: Record<string, string>) => void] {
  const hash = useSyncExternalStore(subscribe, currentHash);
  const navigate = useCallback((name: RouteName, params?: Record<string, string>) => {
    window.location.hash = hrefFor(name, params);
  }, []);
  return [parseHash(hash), navigate];
}
