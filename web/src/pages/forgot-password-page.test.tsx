import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { ForgotPasswordForm } from "./forgot-password-page.tsx";

// DevMailboxLink needs the app's services; the form is tested on its own here.
vi.mock("../components/dev-mailbox-link.tsx", () => ({ DevMailboxLink: () => null }));

const send = () => fireEvent.click(screen.getByRole("button", { name: "Email me a reset link" }));

describe("ForgotPasswordForm", () => {
  it("needs an address before asking the server", () => {
    const submit = vi.fn(async () => undefined);
    render(<ForgotPasswordForm initialEmail="" submit={submit} />);
    send();
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText("Enter your email address.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText(/email address/i));
  });

  it("confirms without saying whether an account uses the address", async () => {
    const submit = vi.fn(async () => undefined);
    render(<ForgotPasswordForm initialEmail=" alice@example.com " submit={submit} />);
    send();
    const status = await screen.findByText(/If an account uses this address, we have emailed it a link/);
    expect(status.getAttribute("role")).toBe("status");
    expect(status.textContent).toMatch(/30 minutes/);
    expect(submit).toHaveBeenCalledWith("alice@example.com");
  });

  it("tells a throttled client to wait", async () => {
    render(
      <ForgotPasswordForm
        initialEmail="alice@example.com"
        submit={async () => {
          throw apiError({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
        }}
      />,
    );
    send();
    expect((await screen.findByRole("alert")).textContent).toMatch(/Too many requests/);
    expect(screen.queryByText(/we have emailed it a link/)).toBeNull();
  });
});
