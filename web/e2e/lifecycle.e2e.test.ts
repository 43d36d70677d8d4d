import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot } from "./browser.ts";
import {
  friendsSection,
  heading,
  logout,
  open,
  openFriends,
  type Person,
  personRow,
  register,
  searchDirectory,
  verifyWithDevMailbox,
} from "./journey-steps.ts";
import { isFocused, login, loginRefused, openSecurity, sessionList, waitForMail } from "./lifecycle-steps.ts";

// The account lifecycle, two people in their own browser contexts (plus a second browser of Alice's)
// against the gateway: a forgotten password reset from the mailed link, a change of email address, a
// session logged out from another device, and the deletion of an account, which ends its friendships.
// The steps share state and run in order.

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const alice: Person = { username: `alice_lc_${run}`, email: `alice.lc.${run}@example.com`, password: "Lantern-Orchard-58" };
const bob: Person = { username: `bob_lc_${run}`, email: `bob.lc.${run}@example.com`, password: "Quiet-Harbour-Tide-73" };
const aliceNewPassword = "Copper-Meadow-Swift-41";
const aliceNewEmail = `alice.lc.new.${run}@example.com`;

let browser: Browser;
let aliceContext: BrowserContext;
let aliceSecondContext: BrowserContext;
let bobContext: BrowserContext;
let a: Page;
let a2: Page;
let b: Page;

beforeAll(async () => {
  browser = await launchChromium();
  const viewport = { width: 1100, height: 800 };
  aliceContext = await browser.newContext({ viewport });
  aliceSecondContext = await browser.newContext({ viewport });
  bobContext = await browser.newContext({ viewport });
  a = await aliceContext.newPage();
  a2 = await aliceSecondContext.newPage();
  b = await bobContext.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe("the account lifecycle, two users", () => {
  it("Alice and Bob register, verify and become friends", async () => {
    await register(a, alice);
    await verifyWithDevMailbox(a, alice);
    await register(b, bob);
    await verifyWithDevMailbox(b, bob);

    await searchDirectory(b, alice.username);
    await personRow(b, alice.username)
      .getByRole("button", { name: `Add friend ${alice.username}` })
      .click();
    await personRow(b, alice.username).getByText("Friend request pending", { exact: true }).waitFor();
    await openFriends(a);
    await friendsSection(a, "Received requests")
      .getByRole("button", { name: `Accept request from ${bob.username}` })
      .click();
    await friendsSection(a, "Your friends").getByText(bob.username).waitFor();
  });

  it("Alice forgot her password: the link from the mailbox sets a new one, the old one stops working", async () => {
    await logout(a);
    await a.getByRole("link", { name: "Forgot password?" }).click();
    await heading(a, "Forgot your password?").waitFor();
    await a.getByLabel("Email address", { exact: true }).fill(alice.email);
    await a.getByRole("button", { name: "Email me a reset link" }).click();
    await a.getByText("If an account uses this address, we have emailed it a link").waitFor();
    await screenshot(a, "20-forgot-password");

    await a.getByRole("link", { name: "Open the development mailbox" }).click();
    await heading(a, "Development mailbox").waitFor();
    const resetLink = a.getByTestId("mail-reset-link").first();
    await waitForMail(a, resetLink);
    await screenshot(a, "21-reset-mail");
    await resetLink.click();

    // By keyboard only: the heading has the focus, Tab leads through the fields, Enter sends.
    await heading(a, "Choose a new password").waitFor();
    await a.keyboard.press("Tab");
    expect(await isFocused(a.getByLabel("New password", { exact: true }))).toBe(true);
    await a.keyboard.type(aliceNewPassword);
    await a.keyboard.press("Tab");
    expect(await isFocused(a.getByLabel("New password again"))).toBe(true);
    await a.keyboard.type(aliceNewPassword);
    await screenshot(a, "22-reset-password");
    await a.keyboard.press("Enter");
    await heading(a, "Log in").waitFor();
    await a.getByText("Your new password is set and every device was logged out.").waitFor();
    await screenshot(a, "23-login-after-reset");

    await loginRefused(a, alice); // the old password
    alice.password = aliceNewPassword;
    await login(a, alice.email, alice.password);
    await heading(a, "Your profile").waitFor();
  });

  it("Alice changes her email address with the code sent to the new one", async () => {
    await openSecurity(a);
    await a.getByLabel("New email address").fill(aliceNewEmail);
    await a.getByLabel("Your password", { exact: true }).fill(alice.password);
    await a.getByRole("button", { name: "Send a code to the new address" }).click();
    await a.getByText(`We sent a 6-digit code to ${aliceNewEmail}.`).waitFor();

    await a.getByRole("link", { name: "Open the development mailbox" }).click();
    await heading(a, "Development mailbox").waitFor();
    const code = a.getByTestId("mail-code").first();
    await waitForMail(a, code);
    expect(await code.textContent()).toMatch(/^\d{6}$/);
    await a.getByRole("link", { name: "Use this code" }).first().click();

    await heading(a, "Security").waitFor();
    await a.getByRole("button", { name: "Confirm new address" }).click();
    await a.getByText(`Your email address is now ${aliceNewEmail}.`).waitFor();
    await screenshot(a, "24-email-changed");
    alice.email = aliceNewEmail;
  });

  it("Alice logs her second browser out from the first: it lands on the login page", async () => {
    await open(a2, "#/login");
    await login(a2, alice.email, alice.password); // the new address and the new password
    await heading(a2, "Your profile").waitFor();
    await openFriends(a2);

    await a.reload();
    await heading(a, "Security").waitFor();
    const sessions = sessionList(a);
    await expect.poll(() => sessions.getByRole("listitem").count(), { timeout: 10_000 }).toBe(2);
    await sessions.getByText("This device", { exact: true }).waitFor();
    await screenshot(a, "25-sessions");

    const other = sessions.getByRole("listitem").filter({ hasNot: a.getByText("This device", { exact: true }) });
    await other.getByRole("button", { name: /^Log out / }).click();
    await a.getByText(/ is logged out\.$/).waitFor();
    await expect.poll(() => sessions.getByRole("listitem").count(), { timeout: 10_000 }).toBe(1);

    // The second browser still holds an access token in memory; its next call (the friends screen polls)
    // is refused, its refresh token too, and it ends the session.
    await heading(a2, "Log in").waitFor({ timeout: 45_000 });
    await a2.getByText("Your session has ended. Please log in again.").waitFor();
    expect(await a2.evaluate(() => Object.keys(window.sessionStorage))).toEqual([]);
    await screenshot(a2, "26-second-browser-logged-out");
  });

  it("Alice deletes her account: she cannot log in and Bob's friend list loses her", async () => {
    await openFriends(b);
    await friendsSection(b, "Your friends").getByText(alice.username).waitFor();

    // By keyboard: the confirmation opens in place with the focus on its password field; Enter confirms.
    await openSecurity(a);
    await a.getByRole("button", { name: "Delete my account…" }).focus();
    await a.keyboard.press("Enter");
    const confirmation = a.getByRole("form", { name: "Confirm the deletion of your account" });
    const password = confirmation.getByLabel("Your password", { exact: true });
    await password.waitFor();
    expect(await isFocused(password)).toBe(true);
    await a.keyboard.type(alice.password);
    await screenshot(a, "27-delete-account");
    await a.keyboard.press("Enter");
    await heading(a, "Log in").waitFor();
    await a.getByText("Your account and everything in it have been deleted.").waitFor();
    await screenshot(a, "28-account-deleted");
    await loginRefused(a, alice);

    // The friendship ends through the user.deleted event: Bob's list follows within moments.
    await expect
      .poll(
        async () => {
          await openFriends(b);
          return friendsSection(b, "Your friends").getByText("No friends yet.").count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    await screenshot(b, "29-friend-deleted");
    await searchDirectory(b, alice.username);
    await b.getByText(`Nobody matches “${alice.username}”.`).waitFor();
  });

  it("Bob logs out everywhere", async () => {
    await openSecurity(b);
    await b.getByRole("button", { name: "Log out everywhere" }).click();
    await heading(b, "Log in").waitFor();
    await b.getByText("You have logged out on every device.").waitFor();
    expect(await b.evaluate(() => Object.keys(window.sessionStorage))).toEqual([]);
  });
});
