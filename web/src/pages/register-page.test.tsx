import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { RegisterValues } from "../forms/validation.ts";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { RegisterForm } from "./register-page.tsx";

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function fillValid() {
  fill(/^username/i, "alice_1");
  fill(/^email address/i, "alice@example.com");
  fill(/^password/i, "correct horse battery");
}

const submitButton = () => screen.getByRole("button", { name: "Create account" });

describe("RegisterForm", () => {
  it("checks the fields before calling the server and points at the first mistake", async () => {
    const submit = vi.fn(async (_: RegisterValues) => undefined);
    render(<RegisterForm submit={submit} />);
    fill(/^username/i, "al");
    fill(/^password/i, "short");
    fireEvent.click(submitButton());

    const username = screen.getByLabelText(/^username/i);
    expect(submit).not.toHaveBeenCalled();
    expect(username.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(username);
    const described = username.getAttribute("aria-describedby") ?? "";
    const errorText = described
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent)
      .join(" ");
    expect(errorText).toContain("Use 3 to 30 letters, digits, dots or underscores.");
    expect(screen.getByText("Enter your email address.")).toBeTruthy();
    expect(screen.getByText("Use at least 8 characters.")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("Check the highlighted fields.");
  });

  it("sends the proto field names to the server", async () => {
    const submit = vi.fn(async (_: RegisterValues) => undefined);
    render(<RegisterForm submit={submit} />);
    fillValid();
    fill(/^first name/i, "Alice");
    fireEvent.click(submitButton());
    await vi.waitFor(() => expect(submit).toHaveBeenCalledOnce());
    expect(submit.mock.calls[0]?.[0]).toEqual({
      username: "alice_1",
      email: "alice@example.com",
      password: "correct horse battery",
      first_name: "Alice",
      last_name: "",
    });
  });

  it("shows the server's field violations next to their fields", async () => {
    const submit = vi.fn(async () => {
      throw apiError({
        code: Code.InvalidArgument,
        reason: "PASSWORD_TOO_COMMON",
        violations: { password: "this password is too common" },
      });
    });
    render(<RegisterForm submit={submit} />);
    fillValid();
    fireEvent.click(submitButton());

    const error = await screen.findByText("This password is too common.");
    const password = screen.getByLabelText(/^password/i);
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(password.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement).toBe(password);
    expect(screen.getByRole("alert").textContent).toBe("This password is too common. Choose a less guessable one.");
  });

  it("places a taken username on the username field", async () => {
    render(
      <RegisterForm
        submit={async () => {
          throw apiError({
            code: Code.AlreadyExists,
            reason: "USERNAME_TAKEN",
            message: "username taken",
          });
        }}
      />,
    );
    fillValid();
    fireEvent.click(submitButton());
    await screen.findAllByText("This username is already taken.");
    expect(screen.getByLabelText(/^username/i).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText(/^email address/i).getAttribute("aria-invalid")).toBeNull();
  });

  it("says so when the service cannot be reached", async () => {
    render(
      <RegisterForm
        submit={async () => {
          throw apiError({ code: Code.Unavailable });
        }}
      />,
    );
    fillValid();
    fireEvent.click(submitButton());
    expect((await screen.findByRole("alert")).textContent).toMatch(/can't be reached/);
  });
});
