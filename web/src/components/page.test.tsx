import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ErrorBoundary } from "./error-boundary.tsx";
import { Page } from "./page.tsx";

describe("Page", () => {
  it("names the screen in the document title and focuses its heading", () => {
    render(<Page title="Friends">content</Page>);
    expect(document.title).toBe("Friends · Identity");
    expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1, name: "Friends" }));
  });

  it("is what every screen renders, so every screen has its title", () => {
    const pages = path.resolve(import.meta.dirname, "../pages");
    const screens = readdirSync(pages).filter((f) => f.endsWith("-page.tsx"));
    expect(screens.length).toBeGreaterThan(0);
    for (const file of screens) {
      expect([file, /<Page\b/.test(readFileSync(path.join(pages, file), "utf8"))]).toEqual([file, true]);
    }
  });
});

function Broken(): never {
  throw new Error("render failed: internal detail");
}

describe("ErrorBoundary", () => {
  it("shows a way out instead of a blank page, with its own title and no internal detail", () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    render(
      <ErrorBoundary>
        <Broken />
      </ErrorBoundary>,
    );
    expect(screen.getByRole("heading", { name: "Something went wrong" })).toBeDefined();
    expect(screen.getByRole("alert").textContent).toMatch(/could not be shown/);
    expect(screen.getByRole("button", { name: "Reload" })).toBeDefined();
    expect(document.body.textContent).not.toContain("internal detail");
    expect(document.title).toBe("Something went wrong · Identity");
  });

  it("renders its screen when nothing fails", () => {
    render(
      <ErrorBoundary>
        <p>fine</p>
      </ErrorBoundary>,
    );
    expect(screen.getByText("fine")).toBeDefined();
  });
});
