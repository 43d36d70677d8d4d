import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { accessibilityViolations, launchChromium, screenshot } from "./browser.ts";

// The journey's accessibility check itself: axe-core finds what it must (a page it has to refuse), and a
// screen without a title of its own is refused too. No gateway needed.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("finds serious and critical violations, and lets a clean page pass", async () => {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html lang="en"><head><title>Bad · Identity</title></head>
    <body><main><h1>Bad</h1><button></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>`);
  const ids = (await accessibilityViolations(page)).map((v) => v.id).sort();
  expect(ids).toEqual(expect.arrayContaining(["button-name", "image-alt", "label"]));
  await expect(screenshot(page, "zz-accessibility-refused")).rejects.toThrow(/axe-core found/);

  await page.setContent(`<!doctype html><html lang="en"><head><title>Good · Identity</title></head>
    <body><main><h1>Good</h1><button>Save</button><label>Name <input type="text"></label></main></body></html>`);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.setContent(`<!doctype html><html lang="en"><head><title>Identity</title></head><body><main><h1>x</h1></main></body></html>`);
  await expect(screenshot(page, "zz-untitled-refused")).rejects.toThrow(/no title of its own/);
  await page.close();
});
