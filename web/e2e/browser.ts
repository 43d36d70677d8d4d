import { mkdir } from "node:fs/promises";
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

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
