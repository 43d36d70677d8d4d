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
  if (!v.password) errors.password = "Enter a password.";
  else if (v.password.length < 8) errors.password = "Use at least 8 characters.";
  else if (v.password.length > 128) errors.password = "Use at most 128 characters.";
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
  if (!v.code) errors.code = "Enter the 6-digit code from the email.";
  else if (!OTP.test(v.code)) errors.code = "The code is 6 digits.";
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

function checkEmail(email: string): string | undefined {
  if (!email) return "Enter your email address.";
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
