import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { ProfileForm, profileValues } from "./profile-page.tsx";

const initial = profileValues(undefined);

describe("ProfileForm", () => {
  it("refuses an avatar address that is not https", () => {
    const submit = vi.fn(async () => undefined);
    render(<ProfileForm initial={initial} submit={submit} />);
    fireEvent.change(screen.getByLabelText(/avatar address/i), {
      target: { value: "http://example.com/me.png" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText("Enter an address that starts with https://.")).toBeTruthy();
  });

  it("says the profile was saved", async () => {
    const submit = vi.fn(async () => undefined);
    render(<ProfileForm initial={initial} submit={submit} />);
    fireEvent.change(screen.getByLabelText(/display name/i), {
      target: { value: "Alice L." },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("Profile saved.")).toBeTruthy();
    expect(submit).toHaveBeenCalledWith({
      ...initial,
      display_name: "Alice L.",
    });
  });

  it("shows server violations on the proto-named fields", async () => {
    render(
      <ProfileForm
        initial={initial}
        submit={async () => {
          throw apiError({
            code: Code.InvalidArgument,
            violations: {
              display_name: "value length must be at most 50 characters",
            },
          });
        }}
      />,
    );
    fireEvent.change(screen.getByLabelText(/display name/i), {
      target: { value: "Fine locally" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("Value length must be at most 50 characters.")).toBeTruthy();
    expect(screen.getByLabelText(/display name/i).getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByText("Profile saved.")).toBeNull();
  });
});
