import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

// Debian's Chromium, never a downloaded browser (scripts/components/chromium.sh installs it).
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const BASE_URL = (process.env.E2E_BASE_URL ?? "http://localhost:8080").replace(/\/+$/, "");

/** Screenshots land in <repo>/artifacts/screenshots unless E2E_SCREENSHOT_DIR says otherwise. */
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? path.resolve(import.meta.dirname, "..", "..", "artifacts", "screenshots");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** axe-core's findings of at least this impact fail the journey. */
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);
let axeSource: Promise<string> | undefined;

export type AxeFinding = { id: string; impact: string | null; help: string; targets: string[] };

/** Runs axe-core (WCAG 2.x A and AA rules) in the page; returns its serious and critical violations. */
export async function accessibilityViolations(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  // Evaluated through the browser's debugging protocol, not as a <script> tag: the app's
  // Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
  await page.evaluate(await axeSource);
  const findings = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global by the script above
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return (findings as AxeFinding[]).filter((f) => BLOCKING_IMPACTS.has(f.impact ?? ""));
}

/**
 * Every key screen of the journey passes here: it is saved as a screenshot, and checked as users of it
 * expect: a title of its own (`<screen> · Identity`) and no serious or critical accessibility violation.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const violations = await accessibilityViolations(page);
  if (violations.length > 0) throw new Error(`${name}: axe-core found ${JSON.stringify(violations, null, 2)}`);
  const title = await page.title();
  if (!/^.+ · Identity$/.test(title)) throw new Error(`${name}: the screen has no title of its own ("${title}")`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
