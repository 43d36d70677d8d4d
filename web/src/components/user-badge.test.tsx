import { create } from "@bufbuild/protobuf";
import { UserSummarySchema } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { UserBadge } from "./user-badge.tsx";

function badgeText(displayName: string): string[] {
  const user = create(UserSummarySchema, { id: "u1", username: "bob_builder", displayName });
  const { container } = render(<UserBadge user={user} />);
  return [...container.querySelectorAll(".user-badge__names > span")].map((el) => el.textContent ?? "");
}

describe("UserBadge", () => {
  it("shows the display name and the @username when they differ", () => {
    expect(badgeText("Bob Builder")).toEqual(["Bob Builder", "@bob_builder"]);
  });

  it("shows the username once when the display name is still the username (the profile's default)", () => {
    expect(badgeText("bob_builder")).toEqual(["bob_builder"]);
  });

  it("shows the username once when there is no display name", () => {
    expect(badgeText("")).toEqual(["bob_builder"]);
  });
});
