import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { SessionList, type SessionListProps, type SessionView } from "./session-list.tsx";

const firefox: SessionView = {
  id: "0190a0a0-0000-7000-8000-00000000a001",
  createdAt: new Date("2026-11-30T08:00:00Z"),
  lastUsedAt: new Date("2026-12-01T07:00:00Z"),
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  clientAddress: "203.0.113.7",
  current: true,
};
const phone: SessionView = {
  id: "0190a0a0-0000-7000-8000-00000000a002",
  createdAt: new Date("2026-11-29T08:00:00Z"),
  lastUsedAt: new Date("2026-11-29T09:00:00Z"),
  userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  clientAddress: "2001:db8::1",
  current: false,
};

function renderList(overrides: Partial<SessionListProps> = {}) {
  const props: SessionListProps = {
    sessions: [firefox, phone],
    loading: false,
    loadError: null,
    revoke: vi.fn(async () => undefined),
    logoutHere: vi.fn(async () => undefined),
    logoutEverywhere: vi.fn(async () => undefined),
    ...overrides,
  };
  render(<SessionList {...props} />);
  return props;
}

const phoneButtonName = `Log out Chrome on Android at 2001:db8::1, logged in ${phone.createdAt?.toLocaleString()}`;

describe("SessionList", () => {
  it("shows each session with its device, times and address, and marks this device", () => {
    renderList();
    const items = within(screen.getByRole("list", { name: "Where you are logged in" })).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    const [mine, other] = items as [HTMLElement, HTMLElement];
    expect(within(mine).getByText("Firefox on Linux")).toBeTruthy();
    expect(within(mine).getByText("This device")).toBeTruthy();
    expect(within(mine).getByText("203.0.113.7")).toBeTruthy();
    expect(within(mine).getByText(firefox.userAgent)).toBeTruthy();
    expect(mine.querySelector("time")?.getAttribute("datetime")).toBe("2026-11-30T08:00:00.000Z");
    expect(within(mine).getByRole("button", { name: "Log out this device" })).toBeTruthy();
    expect(within(other).queryByText("This device")).toBeNull();
    expect(within(other).getByRole("button", { name: phoneButtonName })).toBeTruthy();
  });

  it("logs out another session by its id and says so", async () => {
    const props = renderList();
    fireEvent.click(screen.getByRole("button", { name: phoneButtonName }));
    expect(await screen.findByText(/Chrome on Android at 2001:db8::1, .* is logged out\./)).toBeTruthy();
    expect(props.revoke).toHaveBeenCalledWith(phone.id);
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Where you are logged in" }));
  });

  it("explains a session that had already ended", async () => {
    renderList({
      revoke: async () => {
        throw apiError({ code: Code.NotFound, reason: "SESSION_NOT_FOUND" });
      },
    });
    fireEvent.click(screen.getByRole("button", { name: phoneButtonName }));
    expect((await screen.findByRole("alert")).textContent).toBe("This session has already ended.");
  });

  it("logs out here and everywhere through their own actions", async () => {
    const props = renderList();
    fireEvent.click(screen.getByRole("button", { name: "Log out this device" }));
    await vi.waitFor(() => expect(props.logoutHere).toHaveBeenCalledTimes(1));
    const everywhere = screen.getByRole("button", { name: "Log out everywhere" }) as HTMLButtonElement;
    await vi.waitFor(() => expect(everywhere.disabled).toBe(false)); // one action at a time
    fireEvent.click(everywhere);
    await vi.waitFor(() => expect(props.logoutEverywhere).toHaveBeenCalledTimes(1));
    expect(props.revoke).not.toHaveBeenCalled();
  });

  it("has a loading and an error state", () => {
    renderList({ sessions: undefined, loading: true });
    expect(screen.getByText("Loading your sessions…")).toBeTruthy();
  });

  it("says why the list could not be loaded", () => {
    renderList({ sessions: undefined, loadError: apiError({ code: Code.Unavailable }) });
    expect(screen.getByText(/can't be reached/)).toBeTruthy();
  });
});
