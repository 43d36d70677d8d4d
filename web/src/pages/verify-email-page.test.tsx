import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { VerifyForm } from "./verify-email-page.tsx";

// DevMailboxLink needs the app's services; the form is tested on its own here.
vi.mock("../components/dev-mailbox-link.tsx", () => ({
  DevMailboxLink: () => null,
}));

describe("VerifyForm", () => {
  it("wants a 6-digit code", () => {
    const submit = vi.fn(async () => undefined);
    render(<VerifyForm initial={{ email: "a@example.com", code: "" }} submit={submit} resend={async () => undefined} />);
    fireEvent.change(screen.getByLabelText(/verification code/i), {
      target: { value: "12345" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Verify email" }));
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText("The code is 6 digits.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText(/verification code/i));
  });

  it("shows a wrong code next to the code field", async () => {
    render(
      <VerifyForm
        initial={{ email: "a@example.com", code: "123456" }}
        submit={async () => {
          throw apiError({ code: Code.InvalidArgument, reason: "OTP_INVALID" });
        }}
        resend={async () => undefined}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Verify email" }));
    await screen.findAllByText(/This code is not right/);
    expect(screen.getByLabelText(/verification code/i).getAttribute("aria-invalid")).toBe("true");
  });

  it("confirms a resend without saying whether the address exists", async () => {
    const resend = vi.fn(async () => undefined);
    render(<VerifyForm initial={{ email: "a@example.com", code: "" }} submit={async () => undefined} resend={resend} />);
    fireEvent.click(screen.getByRole("button", { name: "Send a new code" }));
    expect(await screen.findByText(/If an account uses this address, a new code is on its way/)).toBeTruthy();
    expect(resend).toHaveBeenCalledWith("a@example.com");
  });
});
