import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { EmailChange } from "./email-change.tsx";

// DevMailboxLink needs the app's services; the section is tested on its own here.
vi.mock("../components/dev-mailbox-link.tsx", () => ({ DevMailboxLink: () => null }));

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe("EmailChange", () => {
  it("sends a code to the new address, then switches with the code", async () => {
    const request = vi.fn(async () => undefined);
    const confirm = vi.fn(async () => "new@example.com");
    render(<EmailChange request={request} confirm={confirm} />);
    fill(/^new email address/i, " new@example.com ");
    fill(/^your password/i, "Lantern-Orchard-58");
    fireEvent.click(screen.getByRole("button", { name: "Send a code to the new address" }));

    const code = await screen.findByLabelText(/^code from the email/i);
    expect(request).toHaveBeenCalledWith("new@example.com", "Lantern-Orchard-58");
    expect(screen.getByText("We sent a 6-digit code to new@example.com. Enter it to switch to this address.")).toBeTruthy();
    expect(document.activeElement).toBe(code);

    fill(/^code from the email/i, "123456");
    fireEvent.click(screen.getByRole("button", { name: "Confirm new address" }));
    expect(await screen.findByText("Your email address is now new@example.com.")).toBeTruthy();
    expect(confirm).toHaveBeenCalledWith("123456");
    expect(screen.getByLabelText(/^new email address/i)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Email address" }));
  });

  it("shows a taken address and a wrong password on their fields", async () => {
    const request = vi
      .fn<(a: string, b: string) => Promise<void>>()
      .mockRejectedValueOnce(apiError({ code: Code.AlreadyExists, reason: "EMAIL_TAKEN" }))
      .mockRejectedValueOnce(apiError({ code: Code.InvalidArgument, reason: "PASSWORD_INCORRECT" }));
    render(<EmailChange request={request} confirm={async () => ""} />);
    fill(/^new email address/i, "taken@example.com");
    fill(/^your password/i, "pw");
    const send = screen.getByRole("button", { name: "Send a code to the new address" });
    fireEvent.click(send);
    await screen.findAllByText("An account with this email address already exists.");
    expect(screen.getByLabelText(/^new email address/i).getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByText(/email:/)).toBeNull();

    fireEvent.click(send);
    await screen.findAllByText("This password is not right.");
    expect(screen.getByLabelText(/^your password/i).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText(/^new email address/i).getAttribute("aria-invalid")).toBeNull();
  });

  it("starts from the code step when a code was already sent (back from the mailbox)", async () => {
    const confirm = vi.fn(async () => {
      throw apiError({ code: Code.InvalidArgument, reason: "OTP_INVALID" });
    });
    render(<EmailChange pendingEmail="new@example.com" initialCode="654321" request={async () => undefined} confirm={confirm} />);
    expect((screen.getByLabelText(/^code from the email/i) as HTMLInputElement).value).toBe("654321");
    fireEvent.click(screen.getByRole("button", { name: "Confirm new address" }));
    await screen.findAllByText(/This code is not right/);
    expect(screen.getByLabelText(/^code from the email/i).getAttribute("aria-invalid")).toBe("true");

    fireEvent.click(screen.getByRole("button", { name: "Use another address or get a new code" }));
    expect(screen.getByLabelText(/^new email address/i)).toBeTruthy();
  });

  it("explains that a code is dead after too many tries", async () => {
    render(
      <EmailChange
        pendingEmail="new@example.com"
        initialCode="111111"
        request={async () => undefined}
        confirm={async () => {
          throw apiError({ code: Code.ResourceExhausted, reason: "OTP_ATTEMPTS_EXCEEDED" });
        }}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Confirm new address" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Too many wrong codes/);
  });
});
