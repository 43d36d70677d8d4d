import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { DeleteAccount } from "./delete-account.tsx";

const open = () => fireEvent.click(screen.getByRole("button", { name: "Delete my account…" }));
const confirmButton = () => screen.getByRole("button", { name: "Delete my account for good" });

describe("DeleteAccount", () => {
  it("asks for the password before anything is deleted, with the focus on it", () => {
    const submit = vi.fn(async () => undefined);
    render(<DeleteAccount submit={submit} />);
    expect(screen.queryByLabelText(/your password/i)).toBeNull();
    open();
    const password = screen.getByLabelText(/^your password/i);
    expect(document.activeElement).toBe(password);
    fireEvent.click(confirmButton());
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText("Enter your password.")).toBeTruthy();
  });

  it("deletes with the password", async () => {
    const submit = vi.fn(async () => undefined);
    render(<DeleteAccount submit={submit} />);
    open();
    fireEvent.change(screen.getByLabelText(/^your password/i), { target: { value: "Lantern-Orchard-58" } });
    fireEvent.click(confirmButton());
    await vi.waitFor(() => expect(submit).toHaveBeenCalledWith("Lantern-Orchard-58"));
  });

  it("keeps the account on a wrong password and says so on the field", async () => {
    render(
      <DeleteAccount
        submit={async () => {
          throw apiError({ code: Code.InvalidArgument, reason: "PASSWORD_INCORRECT" });
        }}
      />,
    );
    open();
    fireEvent.change(screen.getByLabelText(/^your password/i), { target: { value: "wrong" } });
    fireEvent.click(confirmButton());
    await screen.findAllByText("This password is not right.");
    expect(screen.getByLabelText(/^your password/i).getAttribute("aria-invalid")).toBe("true");
  });

  it("cancels back to the button that opened the confirmation", async () => {
    render(<DeleteAccount submit={async () => undefined} />);
    open();
    fireEvent.click(screen.getByRole("button", { name: "Keep my account" }));
    const opener = screen.getByRole("button", { name: "Delete my account…" });
    await vi.waitFor(() => expect(document.activeElement).toBe(opener));
  });
});
