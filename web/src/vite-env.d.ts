/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin (and optional path prefix) of the gateway; empty means the page's own origin. */
  readonly VITE_API_BASE_URL?: string;
  /** "auto" (default: shown when the gateway answers DevMailService), "on" or "off". */
  readonly VITE_DEV_MAILBOX?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
