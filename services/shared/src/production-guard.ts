// Production refuses to start with what is only fit for a laptop: a development key, DEBUG, the development
// mailbox, a placeholder from .env.prod or a default password. Called by the composition root before anything
// listens; with ENVIRONMENT other than prod it does nothing. Secret values are never echoed.
import { ConfigError } from "./config.ts";

type Env = Record<string, string | undefined>;

/** Variables that hold a secret, by name. Their values are checked for markers and default passwords. */
const SECRET_NAME = /(KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIALS?)$|^DATABASE_URL$/;

/**
 * Words that mark a value as not meant for production: dev defaults say "dev-only" / "not-a-secret", and
 * every placeholder in .env.prod and the Kubernetes Secret example starts with CHANGE_ME.
 */
const MARKERS = ["dev-only", "dev_only", "not-a-secret", "change-me", "change_me", "changeme", "replace-me", "placeholder", "insecure"];

/** Passwords that ship with images, tutorials and this repository's own development stack. */
const DEFAULT_PASSWORDS = new Set([
  "",
  "identity",
  "postgres",
  "password",
  "admin",
  "root",
  "secret",
  "example",
  "test",
  "123456",
  "redpanda",
  "kafka",
]);

const truthy = (value: string | undefined) => value !== undefined && !["", "0", "false", "no", "off"].includes(value.trim().toLowerCase());

/**
 * The bytes a consumer gets from the value, decoded the way Node decodes base64 (Buffer.from ignores
 * whitespace, so the development key with a trailing newline or space, or wrapped over lines, is still the
 * development key): the guard compares what is used, not the text. Empty when the value is not base64.
 */
function decodedBase64(value: string): string {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return "";
  return Buffer.from(compact, "base64").toString("latin1");
}

function hasMarker(value: string): boolean {
  const texts = [value, decodedBase64(value)].map((t) => t.toLowerCase());
  return texts.some((text) => MARKERS.some((marker) => text.includes(marker)));
}

/** The password inside a URL such as postgres://user:password@host/db, if it has one. */
function urlPassword(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.username ? decodeURIComponent(url.password) : undefined;
  } catch {
    return undefined;
  }
}

/** Every reason this environment must not run in production; empty when it may (or is not production). */
export function productionProblems(env: Env): string[] {
  if (env.ENVIRONMENT !== "prod") return [];
  const problems: string[] = [];
  if (truthy(env.DEBUG)) problems.push("DEBUG must not be set in production");
  if (env.LOG_LEVEL === "debug") problems.push("LOG_LEVEL=debug is for development only (debug logs carry request details)");
  if (env.MAIL_TRANSPORT !== undefined && env.MAIL_TRANSPORT !== "smtp") {
    problems.push(`MAIL_TRANSPORT=${env.MAIL_TRANSPORT} is the development mailbox: production sends mail over SMTP`);
  }
  if (truthy(env.DEV_MAILBOX)) problems.push("DEV_MAILBOX must not be enabled in production");
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (value === undefined || !SECRET_NAME.test(name)) continue;
    if (hasMarker(value)) {
      problems.push(`${name} holds a development key or a placeholder: set a real secret`);
      continue;
    }
    const password = name === "DATABASE_URL" ? urlPassword(value) : name.endsWith("PASSWORD") ? value : undefined;
    if (password !== undefined && DEFAULT_PASSWORDS.has(password.toLowerCase())) {
      problems.push(`${name} uses a default password: set a real one`);
    }
  }
  return problems;
}

/** Throws a ConfigError naming every problem (never a value) when a production environment is unsafe. */
export function assertProductionSafe(env: Env = process.env): void {
  const problems = productionProblems(env);
  if (problems.length > 0) throw new ConfigError(problems);
}
