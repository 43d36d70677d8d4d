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

// Two people, each in their own browser context (own cookies and sessionStorage), go through the whole
// journey against the gateway: register, verify, profile, directory, request, reject, cancel, accept,
// unfriend, log out. The steps share state and run in order.

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const alice: Person = { username: `alice_${run}`, email: `alice.${run}@example.com`, password: "Lantern-Orchard-58" };
const bob: Person = { username: `bob_${run}`, email: `bob.${run}@example.com`, password: "Quiet-Harbour-Tide-73" };
const aliceDisplayName = `Alice Liddell ${run}`;

let browser: Browser;
let aliceContext: BrowserContext;
let bobContext: BrowserContext;
let a: Page;
let b: Page;

beforeAll(async () => {
  browser = await launchChromium();
  aliceContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  bobContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  a = await aliceContext.newPage();
  b = await bobContext.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe("the whole journey, two users", () => {
  it("Alice registers, reads her code in the dev mailbox, verifies and edits her profile", async () => {
    await open(a, "#/register");
    await screenshot(a, "01-register");
    await register(a, alice);
    await screenshot(a, "02-verify-email");
    await verifyWithDevMailbox(a, alice, "03-dev-mailbox");

    await a.getByLabel("Display name").fill(aliceDisplayName);
    await a.getByLabel("About you").fill("Curious about rabbit holes.");
    await a.getByRole("button", { name: "Save profile" }).click();
    await a.getByText("Profile saved.").waitFor();
    await screenshot(a, "04-profile-saved");

    // A reload keeps the tab signed in (refresh token in sessionStorage, new access token in memory).
    await a.reload();
    await heading(a, "Your profile").waitFor();
    expect(await a.getByLabel("Display name").inputValue()).toBe(aliceDisplayName);
    expect(await a.getByText(`Signed in as ${alice.username}`).count()).toBe(1);
  });

  it("Bob registers; unverified, he is told why he cannot send a request and how to verify", async () => {
    await register(b, bob);
    await b.getByRole("link", { name: "Skip for now" }).click();
    await heading(b, "Your profile").waitFor();
    await b.getByText("Your email address is not verified yet.").waitFor();

    await searchDirectory(b, alice.username);
    const row = personRow(b, alice.username);
    await row.getByText(aliceDisplayName).waitFor();
    await row.getByRole("button", { name: `Add friend ${aliceDisplayName}` }).click();
    const refusal = row.getByRole("alert");
    await refusal.getByText("You can't send friend requests until your email address is verified.").waitFor();
    await screenshot(b, "05-unverified-cannot-request");

    await refusal.getByRole("link", { name: "Verify your email" }).click();
    await heading(b, "Verify your email address").waitFor();
    await b.getByLabel("Email address", { exact: true }).fill(bob.email);
    await verifyWithDevMailbox(b, bob);
  });

  it("Bob sends a request: it is pending", async () => {
    await searchDirectory(b, alice.username);
    const row = personRow(b, alice.username);
    await row.getByRole("button", { name: `Add friend ${aliceDisplayName}` }).click();
    await row.getByText("Friend request pending", { exact: true }).waitFor();
    await screenshot(b, "06-request-pending");
  });

  it("Alice sees it under received requests and rejects it", async () => {
    await openFriends(a);
    const received = friendsSection(a, "Received requests");
    await received.getByText(bob.username).waitFor();
    await screenshot(a, "07-received-request");
    await received.getByRole("button", { name: `Reject request from ${bob.username}` }).click();
    await a.getByText(`You rejected the request from ${bob.username}.`).waitFor();
    await received.getByText("No one is waiting for your answer.").waitFor();
  });

  it("Bob may ask again after the rejection, cancels, then asks once more", async () => {
    await openFriends(b);
    await friendsSection(b, "Sent requests").getByText("You have no pending requests.").waitFor();

    await searchDirectory(b, alice.username);
    const row = personRow(b, alice.username);
    await row.getByRole("button", { name: `Add friend ${aliceDisplayName}` }).click();
    await row.getByText("Friend request pending", { exact: true }).waitFor();

    await openFriends(b);
    const sent = friendsSection(b, "Sent requests");
    await sent.getByText(aliceDisplayName).waitFor();
    await sent.getByRole("button", { name: `Cancel request to ${aliceDisplayName}` }).click();
    await b.getByText(`Request to ${aliceDisplayName} cancelled.`).waitFor();
    await sent.getByText("You have no pending requests.").waitFor();
    await screenshot(b, "08-request-cancelled");

    await searchDirectory(b, alice.username);
    await row.getByRole("button", { name: `Add friend ${aliceDisplayName}` }).click();
    await row.getByText("Friend request pending", { exact: true }).waitFor();
  });

  it("Alice accepts: they are friends", async () => {
    await openFriends(a);
    const received = friendsSection(a, "Received requests");
    await received.getByRole("button", { name: `Accept request from ${bob.username}` }).click();
    await a.getByText(`You are now friends with ${bob.username}.`).waitFor();
    await friendsSection(a, "Your friends").getByText(bob.username).waitFor();
    await screenshot(a, "09-now-friends");

    await b.reload(); // Bob's tab learns of the answer on its next fetch
    await searchDirectory(b, alice.username);
    await personRow(b, alice.username).getByText("Friends", { exact: true }).waitFor();
  });

  it("Bob sees Alice in his friends list and unfriends her", async () => {
    await openFriends(b);
    const friends = friendsSection(b, "Your friends");
    await friends.getByText(aliceDisplayName).waitFor();
    await screenshot(b, "10-friends-list");
    await friends.getByRole("button", { name: `Unfriend ${aliceDisplayName}` }).click();
    await b.getByText(`You and ${aliceDisplayName} are no longer friends.`).waitFor();
    await friends.getByText("No friends yet.").waitFor();
    await screenshot(b, "11-unfriended");

    await openFriends(a);
    await friendsSection(a, "Your friends").getByText("No friends yet.").waitFor();
  });

  it("both log out; the session is revoked and Alice can log in again", async () => {
    await logout(b);
    await logout(a);
    await screenshot(a, "12-logged-out");

    // A protected screen now asks for a login.
    await open(a, "#/friends");
    await heading(a, "Log in").waitFor();

    await a.getByLabel("Username or email address").fill(alice.email);
    await a.getByLabel("Password", { exact: true }).fill(alice.password);
    await a.getByRole("button", { name: "Log in" }).click();
    await heading(a, "Friends").waitFor();
    await logout(a);
  });
});
