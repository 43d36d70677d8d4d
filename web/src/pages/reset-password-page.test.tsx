import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { ResetPasswordForm } from "./reset-password-page.tsx";

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}
const submitButton = () => screen.getByRole("button", { name: "Set new password" });

describe("ResetPasswordForm", () => {
  it("wants the same new password twice", () => {
    const submit = vi.fn(async () => undefined);
    render(<ResetPasswordForm submit={submit} />);
    fill(/^new password$/i, "Lantern-Orchard-58");
    fill(/^new password again/i, "Lantern-Orchard-59");
    fireEvent.click(submitButton());
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText("The two passwords are not the same.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText(/^new password again/i));
  });

  it("sends the new password", async () => {
    const submit = vi.fn(async () => undefined);
    render(<ResetPasswordForm submit={submit} />);
    fill(/^new password$/i, "Lantern-Orchard-58");
    fill(/^new password again/i, "Lantern-Orchard-58");
    fireEvent.click(submitButton());
    await vi.waitFor(() => expect(submit).toHaveBeenCalledWith("Lantern-Orchard-58"));
  });

  it("explains a dead link and offers a new one", async () => {
    render(
      <ResetPasswordForm
        submit={async () => {
          throw apiError({ code: Code.InvalidArgument, reason: "RESET_TOKEN_INVALID" });
        }}
      />,
    );
    fill(/^new password$/i, "Lantern-Orchard-58");
    fill(/^new password again/i, "Lantern-Orchard-58");
    fireEvent.click(submitButton());
    const alert = screen.getByRole("alert");
    await within(alert).findByText(/already used, it is older than 30 minutes, or a newer link was sent/);
    expect(within(alert).getByRole("link", { name: "Ask for a new link" }).getAttribute("href")).toBe("#/forgot-password");
  });

  it("shows a refused password under the new password", async () => {
    render(
      <ResetPasswordForm
        submit={async () => {
          throw apiError({ code: Code.InvalidArgument, reason: "PASSWORD_TOO_COMMON", violations: { new_password: "too common" } });
        }}
      />,
    );
    fill(/^new password$/i, "password123");
    fill(/^new password again/i, "password123");
    fireEvent.click(submitButton());
    await screen.findByText("Too common.");
    expect(screen.getByLabelText(/^new password$/i).getAttribute("aria-invalid")).toBe("true");
  });
});
