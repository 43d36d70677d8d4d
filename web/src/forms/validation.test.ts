import { describe, expect, it } from "vitest";
import {
  validateCode,
  validateEmailChange,
  validateLogin,
  validatePassword,
  validatePasswordChange,
  validatePasswordReset,
  validateProfile,
  validateRegister,
  validateVerify,
} from "./validation.ts";

const validRegistration = {
  username: "alice_1",
  email: "alice@example.com",
  password: "correct horse",
  first_name: "",
  last_name: "",
};

describe("validateRegister", () => {
  it("accepts a registration that the contract accepts", () => {
    expect(validateRegister(validRegistration)).toEqual({});
  });
  it("flags every empty required field", () => {
    const errors = validateRegister({
      username: "",
      email: "",
      password: "",
      first_name: "",
      last_name: "",
    });
    expect(Object.keys(errors).sort()).toEqual(["email", "password", "username"]);
  });
  it.each(["ab", "has space", "dash-ed", "x".repeat(31)])("rejects the username %j", (username) => {
    expect(validateRegister({ ...validRegistration, username }).username).toBeTruthy();
  });
  it("rejects a short password and a malformed address", () => {
    const errors = validateRegister({
      ...validRegistration,
      password: "short",
      email: "alice@",
    });
    expect(errors.password).toBe("Use at least 8 characters.");
    expect(errors.email).toMatch(/email address/);
  });
});

describe("validateLogin", () => {
  it("needs both fields", () => {
    expect(validateLogin({ username: " ", password: "" })).toEqual({
      username: "Enter your username or email address.",
      password: "Enter your password.",
    });
  });
});

describe("validateVerify", () => {
  it("needs six digits", () => {
    expect(validateVerify({ email: "a@example.com", code: "12345" }).code).toBe("The code is 6 digits.");
    expect(validateVerify({ email: "a@example.com", code: "12a456" }).code).toBe("The code is 6 digits.");
    expect(validateVerify({ email: "a@example.com", code: "123456" })).toEqual({});
  });
});

describe("validateProfile", () => {
  const empty = {
    display_name: "",
    first_name: "",
    last_name: "",
    bio: "",
    avatar_url: "",
  };
  it("accepts empty fields", () => {
    expect(validateProfile(empty)).toEqual({});
  });
  it("enforces the contract's limits", () => {
    const errors = validateProfile({
      ...empty,
      display_name: "d".repeat(51),
      bio: "b".repeat(501),
    });
    expect(errors.display_name).toBe("Use at most 50 characters.");
    expect(errors.bio).toBe("Use at most 500 characters.");
  });
  it("wants an https avatar address", () => {
    expect(validateProfile({ ...empty, avatar_url: "http://example.com/a.png" }).avatar_url).toMatch(/https/);
    expect(validateProfile({ ...empty, avatar_url: "https://example.com/a.png" })).toEqual({});
  });
});

describe("account lifecycle forms", () => {
  it("asks for the new password twice, with the register policy", () => {
    expect(validatePasswordReset({ new_password: "long enough", confirm_password: "long enough" })).toEqual({});
    expect(validatePasswordReset({ new_password: "short", confirm_password: "short" })).toEqual({
      new_password: "Use at least 8 characters.",
    });
    expect(validatePasswordReset({ new_password: "long enough", confirm_password: "long enougH" })).toEqual({
      confirm_password: "The two passwords are not the same.",
    });
    expect(validatePasswordReset({ new_password: "x".repeat(129), confirm_password: "" }).new_password).toBe("Use at most 128 characters.");
  });

  it("needs the current password to change it", () => {
    expect(validatePasswordChange({ current_password: "", new_password: "long enough", confirm_password: "long enough" })).toEqual({
      current_password: "Enter your current password.",
    });
  });

  it("checks the new address and the password of an email change", () => {
    expect(validateEmailChange({ new_email: "new@example.com", password: "pw" })).toEqual({});
    expect(validateEmailChange({ new_email: "", password: "" })).toEqual({
      new_email: "Enter the new email address.",
      password: "Enter your password.",
    });
    expect(validateEmailChange({ new_email: "not-an-address", password: "pw" }).new_email).toMatch(/like name@example.com/);
  });

  it("wants 6 digits as the code and a password to delete", () => {
    expect(validateCode({ code: "123456" })).toEqual({});
    expect(validateCode({ code: "12345a" })).toEqual({ code: "The code is 6 digits." });
    expect(validatePassword({ password: "" })).toEqual({ password: "Enter your password." });
  });
});
