import { ErrorReason } from "@identity/proto/error-reasons";
import { describe, expect, it } from "vitest";
import { apiError, Code } from "../test-support/connect-errors.ts";
import { problemForForm, toApiProblem } from "./api-problem.ts";

describe("toApiProblem", () => {
  it("reads field violations by proto field name", () => {
    const problem = toApiProblem(
      apiError({
        code: Code.InvalidArgument,
        violations: { password: "value length must be at least 8 characters" },
      }),
    );
    expect(problem.fieldErrors).toEqual({
      password: "Value length must be at least 8 characters.",
    });
    expect(problem.message).toBe("Some fields need attention.");
  });

  it("gives reasons their own words and places field-shaped reasons on the field", () => {
    const problem = toApiProblem(apiError({ code: Code.AlreadyExists, reason: "USERNAME_TAKEN" }));
    expect(problem.reason).toBe("USERNAME_TAKEN");
    expect(problem.fieldErrors.username).toBe("This username is already taken.");
  });

  it("explains EMAIL_NOT_VERIFIED", () => {
    const problem = toApiProblem(apiError({ code: Code.PermissionDenied, reason: "EMAIL_NOT_VERIFIED" }));
    expect(problem.code).toBe(Code.PermissionDenied);
    expect(problem.message).toMatch(/until your email address is verified/);
  });

  it("falls back on the code, then on the server's message", () => {
    expect(toApiProblem(apiError({ code: Code.Unavailable })).message).toMatch(/can't be reached/);
    expect(toApiProblem(apiError({ code: Code.FailedPrecondition, message: "already decided" })).message).toBe("Already decided.");
    expect(toApiProblem(new TypeError("Failed to fetch")).code).toBe(Code.Unknown);
  });
});

describe("problemForForm", () => {
  it("keeps violations of fields the form does not show in the form's message", () => {
    const problem = toApiProblem(
      apiError({
        code: Code.InvalidArgument,
        violations: { username: "taken", is_staff: "not editable" },
      }),
    );
    const placed = problemForForm(problem, ["username", "password"]);
    expect(placed.fieldErrors).toEqual({ username: "Taken." });
    expect(placed.formError).toContain("is_staff: Not editable.");
  });
});

describe("problemForForm, reasons moved to this form's field", () => {
  it("puts PASSWORD_INCORRECT on the field the form names, once", () => {
    const problem = toApiProblem(apiError({ code: Code.InvalidArgument, reason: "PASSWORD_INCORRECT" }));
    expect(problemForForm(problem, ["password"]).fieldErrors).toEqual({ password: "This password is not right." });
    const placed = problemForForm(problem, ["current_password", "new_password"], { [ErrorReason.PASSWORD_INCORRECT]: "current_password" });
    expect(placed.fieldErrors).toEqual({ current_password: "This password is not right." });
    expect(placed.formError).toBe("This password is not right.");
  });

  it("puts EMAIL_TAKEN on the new address of an email change", () => {
    const problem = toApiProblem(apiError({ code: Code.AlreadyExists, reason: "EMAIL_TAKEN" }));
    const placed = problemForForm(problem, ["new_email", "password"], { [ErrorReason.EMAIL_TAKEN]: "new_email" });
    expect(placed.fieldErrors).toEqual({ new_email: "An account with this email address already exists." });
    expect(placed.formError).not.toContain("email:");
  });
});
