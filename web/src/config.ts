// Everything the app needs to know about where it runs, read once at start from the build's environment.

export type DevMailboxMode = "auto" | "on" | "off";

export type AppConfig = {
  /** Base URL of the Connect API; the page's own origin unless configured. */
  apiBaseUrl: string;
  /** Whether to offer the development mailbox (where the emailed codes can be read). */
  devMailbox: DevMailboxMode;
};

type ConfigEnv = { VITE_API_BASE_URL?: string; VITE_DEV_MAILBOX?: string };

export function readConfig(env: ConfigEnv, origin: string): AppConfig {
  const configured = env.VITE_API_BASE_URL?.trim();
  const apiBaseUrl = (configured ? configured : origin).replace(/\/+$/, "");
  return { apiBaseUrl, devMailbox: parseDevMailbox(env.VITE_DEV_MAILBOX) };
}

function parseDevMailbox(value: string | undefined): DevMailboxMode {
  const v = value?.trim().toLowerCase();
  if (v === "on" || v === "true") return "on";
  if (v === "off" || v === "false") return "off";
  return "auto";
}
