import type { Page } from "playwright-core";
import { expect } from "vitest";
import { BASE_URL, screenshot } from "./browser.ts";

// What a person does on each screen, in the words the screen shows them.

export type Person = { username: string; email: string; password: string };

export function heading(page: Page, name: string) {
  return page.getByRole("heading", { level: 1, name });
}

export async function open(page: Page, hashRoute: string) {
  await page.goto(`${BASE_URL}/${hashRoute}`);
}

export async function register(page: Page, who: Person) {
  await open(page, "#/register");
  await heading(page, "Create an account").waitFor();
  await page.getByLabel("Username", { exact: true }).fill(who.username);
  await page.getByLabel("Email address", { exact: true }).fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await heading(page, "Verify your email address").waitFor();
  await page.getByText(`We sent a 6-digit code to ${who.email}`).waitFor();
}

/**
 * From the verify screen: opens the development mailbox, waits for the code, and uses it. With a
 * screenshot name, the mailbox showing the code is saved under that name.
 */
export async function verifyWithDevMailbox(page: Page, who: Person, screenshotName?: string) {
  await page.getByRole("link", { name: "Open the development mailbox" }).click();
  await heading(page, "Development mailbox").waitFor();
  const code = page.getByTestId("mail-code").first();
  await expect
    .poll(
      async () => {
        if ((await code.count()) > 0) return true;
        await page.getByRole("button", { name: "Refresh" }).click();
        return false;
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
  expect(await code.textContent()).toMatch(/^\d{6}$/);
  if (screenshotName) await screenshot(page, screenshotName);
  await page.getByRole("link", { name: "Use this code" }).first().click();
  await heading(page, "Verify your email address").waitFor();
  expect(await page.getByLabel("Email address", { exact: true }).inputValue()).toBe(who.email);
  await page.getByRole("button", { name: "Verify email" }).click();
  await heading(page, "Your profile").waitFor();
  await page.getByText("Your email address is verified.").waitFor();
}

export async function searchDirectory(page: Page, term: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Find people" }).click();
  await heading(page, "Find people").waitFor();
  await page.getByLabel("Search by username or name").fill(term);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `matching “${term}”` })
    .waitFor();
}

/** The directory row of one person. */
export function personRow(page: Page, username: string) {
  return page.getByRole("list", { name: "People" }).getByRole("listitem").filter({ hasText: username });
}

export function friendsSection(page: Page, name: "Received requests" | "Your friends" | "Sent requests") {
  return page.getByRole("region", { name });
}

export async function openFriends(page: Page) {
  await open(page, "#/friends");
  await page.reload(); // fresh lists, and the session restored from the tab's refresh token
  await heading(page, "Friends").waitFor();
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await heading(page, "Log in").waitFor();
  await page.getByText("You have logged out.").waitFor();
  const stored = await page.evaluate(() => Object.keys(window.sessionStorage));
  expect(stored).toEqual([]);
}
