// Client-side checks that mirror the contract's constraints (buf.validate rules in the protos), so a
// person learns about a mistake before the round trip. The server checks again and has the last word.

export type FieldErrors = Record<string, string>;

const USERNAME = /^[A-Za-z0-9_.]{3,30}$/;
// Deliberately loose: one @, something on each side, a dot in the domain. The server decides the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const OTP = /^[0-9]{6}$/;

export type RegisterValues = {
  username: string;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
};

export function validateRegister(v: RegisterValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.username) errors.username = "Enter a username.";
  else if (!USERNAME.test(v.username)) errors.username = "Use 3 to 30 letters, digits, dots or underscores.";
  const emailError = checkEmail(v.email);
  if (emailError) errors.email = emailError;
  const passwordError = checkNewPassword(v.password);
  if (passwordError) errors.password = passwordError;
  if (v.first_name.length > 150) errors.first_name = "Use at most 150 characters.";
  if (v.last_name.length > 150) errors.last_name = "Use at most 150 characters.";
  return errors;
}

export type LoginValues = { username: string; password: string };

export function validateLogin(v: LoginValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.username.trim()) errors.username = "Enter your username or email address.";
  if (!v.password) errors.password = "Enter your password.";
  return errors;
}

export type VerifyValues = { email: string; code: string };

export function validateVerify(v: VerifyValues): FieldErrors {
  const errors: FieldErrors = {};
  const emailError = checkEmail(v.email);
  if (emailError) errors.email = emailError;
  const codeError = checkCode(v.code);
  if (codeError) errors.code = codeError;
  return errors;
}

export function validateEmailOnly(email: string): FieldErrors {
  const emailError = checkEmail(email);
  return emailError ? { email: emailError } : {};
}

export type ProfileValues = {
  display_name: string;
  first_name: string;
  last_name: string;
  bio: string;
  avatar_url: string;
};

export function validateProfile(v: ProfileValues): FieldErrors {
  const errors: FieldErrors = {};
  if (v.display_name.length > 50) errors.display_name = "Use at most 50 characters.";
  if (v.first_name.length > 150) errors.first_name = "Use at most 150 characters.";
  if (v.last_name.length > 150) errors.last_name = "Use at most 150 characters.";
  if (v.bio.length > 500) errors.bio = "Use at most 500 characters.";
  if (v.avatar_url) {
    if (v.avatar_url.length > 2048) errors.avatar_url = "Use at most 2048 characters.";
    else if (!isHttpsUrl(v.avatar_url)) errors.avatar_url = "Enter an address that starts with https://.";
  }
  return errors;
}

export type PasswordResetValues = { new_password: string; confirm_password: string };

export function validatePasswordReset(v: PasswordResetValues): FieldErrors {
  const errors: FieldErrors = {};
  const passwordError = checkNewPassword(v.new_password);
  if (passwordError) errors.new_password = passwordError;
  const confirmError = checkConfirmation(v.new_password, v.confirm_password);
  if (confirmError) errors.confirm_password = confirmError;
  return errors;
}

export type PasswordChangeValues = { current_password: string; new_password: string; confirm_password: string };

export function validatePasswordChange(v: PasswordChangeValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.current_password) errors.current_password = "Enter your current password.";
  const passwordError = checkNewPassword(v.new_password);
  if (passwordError) errors.new_password = passwordError;
  const confirmError = checkConfirmation(v.new_password, v.confirm_password);
  if (confirmError) errors.confirm_password = confirmError;
  return errors;
}

export type EmailChangeValues = { new_email: string; password: string };

export function validateEmailChange(v: EmailChangeValues): FieldErrors {
  const errors: FieldErrors = {};
  const emailError = checkEmail(v.new_email);
  if (emailError) errors.new_email = emailError === MISSING_EMAIL ? "Enter the new email address." : emailError;
  if (!v.password) errors.password = "Enter your password.";
  return errors;
}

export type CodeValues = { code: string };

export function validateCode(v: CodeValues): FieldErrors {
  const codeError = checkCode(v.code);
  return codeError ? { code: codeError } : {};
}

export type PasswordValues = { password: string };

export function validatePassword(v: PasswordValues): FieldErrors {
  return v.password ? {} : { password: "Enter your password." };
}

const MISSING_EMAIL = "Enter your email address.";

/** The password policy of the contract (register, reset, change): 8 to 128 characters. */
function checkNewPassword(password: string): string | undefined {
  if (!password) return "Enter a password.";
  if (password.length < 8) return "Use at least 8 characters.";
  if (password.length > 128) return "Use at most 128 characters.";
  return undefined;
}

// Typing a new password twice catches a typo that would otherwise lock the person out at the next login.
function checkConfirmation(password: string, confirmation: string): string | undefined {
  if (!confirmation) return "Enter the new password again.";
  if (confirmation !== password) return "The two passwords are not the same.";
  return undefined;
}

function checkCode(code: string): string | undefined {
  if (!code) return "Enter the 6-digit code from the email.";
  if (!OTP.test(code)) return "The code is 6 digits.";
  return undefined;
}

function checkEmail(email: string): string | undefined {
  if (!email) return MISSING_EMAIL;
  if (email.length > 254 || !EMAIL.test(email)) return "Enter an email address like name@example.com.";
  return undefined;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}
