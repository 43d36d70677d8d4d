import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { PasswordChangeForm } from "./password-change-form.tsx";

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}
function fillAll() {
  fill(/^current password/i, "Old-Password-1");
  fill(/^new password$/i, "New-Password-22");
  fill(/^new password again/i, "New-Password-22");
}
const change = () => fireEvent.click(screen.getByRole("button", { name: "Change password" }));

describe("PasswordChangeForm", () => {
  it("changes the password, empties the form and says what happened to the other devices", async () => {
    const submit = vi.fn(async () => undefined);
    render(<PasswordChangeForm submit={submit} />);
    fillAll();
    change();
    expect(await screen.findByText(/Your password is changed. Every other device was logged out/)).toBeTruthy();
    expect(submit).toHaveBeenCalledWith("Old-Password-1", "New-Password-22");
    expect((screen.getByLabelText(/^current password/i) as HTMLInputElement).value).toBe("");
  });

  it("puts a wrong current password on the current password, not on the new one", async () => {
    render(
      <PasswordChangeForm
        submit={async () => {
          throw apiError({ code: Code.InvalidArgument, reason: "PASSWORD_INCORRECT" });
        }}
      />,
    );
    fillAll();
    change();
    await screen.findAllByText("This password is not right.");
    const current = screen.getByLabelText(/^current password/i);
    expect(current.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText(/^new password$/i).getAttribute("aria-invalid")).toBeNull();
    expect(document.activeElement).toBe(current);
    expect(screen.queryByText(/Your password is changed/)).toBeNull();
  });

  it("puts a too common password on the new password", async () => {
    render(
      <PasswordChangeForm
        submit={async () => {
          throw apiError({ code: Code.InvalidArgument, reason: "PASSWORD_TOO_COMMON" });
        }}
      />,
    );
    fillAll();
    change();
    await screen.findAllByText(/This password is too common/);
    expect(screen.getByLabelText(/^new password$/i).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText(/^current password/i).getAttribute("aria-invalid")).toBeNull();
  });

  it("tells a throttled user to wait", async () => {
    render(
      <PasswordChangeForm
        submit={async () => {
          throw apiError({ code: Code.ResourceExhausted, reason: "RATE_LIMITED" });
        }}
      />,
    );
    fillAll();
    change();
    expect((await screen.findByRole("alert")).textContent).toMatch(/Too many requests/);
  });
});
