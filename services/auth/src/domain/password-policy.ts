// Which passwords are refused beyond the contract's length rules (8-128 characters, checked by
// protovalidate): the ~49,000 most common passwords of the zxcvbn-ts list (compared case-insensitively), and
// the account's own username or email address. The password itself is never altered or truncated.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/**
 * Why the password is refused for this account (as the contract's PASSWORD_TOO_COMMON message variant: its
 * main message for a common password), or undefined when it is acceptable.
 */
export function passwordProblem(password: string, account: { username: string; email: string }): { variant?: "similar" } | undefined {
  const lower = password.toLowerCase();
  if (lower === account.username.toLowerCase() || lower === account.email.toLowerCase()) return { variant: "similar" };
  if (isCommonPassword(password)) return {};
  return undefined;
}

/** Loads the list now rather than on the first registration. */
export function preloadCommonPasswords(): void {
  commonPasswords();
}
