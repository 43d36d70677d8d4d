import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { heading, type Person } from "./journey-steps.ts";

// What a person does on the account lifecycle screens (password reset, security page), in the words the
// screens show them.

/** Clicks Refresh in the development mailbox until `target` appears (mail is sent after the answer). */
export async function waitForMail(page: Page, target: Locator) {
  await expect
    .poll(
      async () => {
        if ((await target.count()) > 0) return true;
        await page.getByRole("button", { name: "Refresh" }).click();
        return false;
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
}

export async function openSecurity(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" }).click();
  await heading(page, "Security").waitFor();
}

export async function login(page: Page, username: string, password: string) {
  await heading(page, "Log in").waitFor();
  await page.getByLabel("Username or email address").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function loginRefused(page: Page, who: Person) {
  await login(page, who.email, who.password);
  await page.getByRole("alert").getByText("The username or password is not right.").waitFor();
}

/** Whether the element has the keyboard focus. */
export function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}

/** The session list of the security screen. */
export function sessionList(page: Page) {
  return page.getByRole("list", { name: "Where you are logged in" });
}
