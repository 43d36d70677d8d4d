import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { LoginForm } from "./login-page.tsx";

describe("LoginForm", () => {
  it("needs a username and a password", () => {
    const submit = vi.fn(async () => undefined);
    render(<LoginForm submit={submit} />);
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText("Enter your username or email address.")).toBeTruthy();
    expect(screen.getByText("Enter your password.")).toBeTruthy();
  });

  it("shows one message for bad credentials, next to the button", async () => {
    render(
      <LoginForm
        submit={async () => {
          throw apiError({
            code: Code.Unauthenticated,
            reason: "INVALID_CREDENTIALS",
          });
        }}
      />,
    );
    fireEvent.change(screen.getByLabelText(/username or email/i), {
      target: { value: "alice" },
    });
    fireEvent.change(screen.getByLabelText(/^password/i), {
      target: { value: "wrong password" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The username or password is not right.");
  });

  it("tells a throttled user to wait", async () => {
    render(
      <LoginForm
        submit={async () => {
          throw apiError({
            code: Code.ResourceExhausted,
            reason: "RATE_LIMITED",
          });
        }}
      />,
    );
    fireEvent.change(screen.getByLabelText(/username or email/i), {
      target: { value: "alice" },
    });
    fireEvent.change(screen.getByLabelText(/^password/i), {
      target: { value: "x" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Too many requests/);
  });
});
