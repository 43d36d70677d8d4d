import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";

/** What a form or an action needs to know about a failed call, in words a person can act on. */
export type ApiProblem = {
  code: Code;
  /** google.rpc.ErrorInfo reason (UPPER_SNAKE_CASE), or "" when the answer carried none. */
  reason: string;
  /** The message to show next to the action. */
  message: string;
  /** Field violations by proto field name (`password`, `display_name`). */
  fieldErrors: Record<string, string>;
  /** The field the reason itself was placed on (e.g. `username` for USERNAME_TAKEN), if any. */
  reasonField?: string | undefined;
};

// Reasons worth their own words; anything else falls back to the server's message or to the code.
const REASON_MESSAGES: Record<string, string> = {
  USERNAME_TAKEN: "This username is already taken.",
  EMAIL_TAKEN: "An account with this email address already exists.",
  PASSWORD_TOO_COMMON: "This password is too common. Choose a less guessable one.",
  INVALID_CREDENTIALS: "The username or password is not right.",
  LOGIN_THROTTLED: "Too many attempts. Wait a minute, then try again.",
  RATE_LIMITED: "Too many requests. Wait a minute, then try again.",
  OTP_INVALID: "This code is not right. Check the latest email and try again.",
  OTP_EXPIRED: "This code has expired. Send a new code and use that one.",
  OTP_ATTEMPTS_EXCEEDED: "Too many wrong codes. Send a new code and use that one.",
  TOKEN_NOT_VALID: "Your session has ended. Please log in again.",
  EMAIL_NOT_VERIFIED: "You can't send friend requests until your email address is verified.",
  PASSWORD_INCORRECT: "This password is not right.",
  RESET_TOKEN_INVALID: "This reset link no longer works: it was already used, it is older than 30 minutes, or a newer link was sent.",
  ACCOUNT_DELETED: "This account has been deleted.",
  EMAIL_UNCHANGED: "This is already your email address.",
  SESSION_NOT_FOUND: "This session has already ended.",
};

// Reasons that are about one field of the form rather than the whole action.
const REASON_FIELDS: Record<string, string> = {
  USERNAME_TAKEN: "username",
  EMAIL_TAKEN: "email",
  PASSWORD_TOO_COMMON: "password",
  OTP_INVALID: "code",
  OTP_EXPIRED: "code",
  PASSWORD_INCORRECT: "password",
  EMAIL_UNCHANGED: "new_email",
};

const CODE_MESSAGES: Partial<Record<Code, string>> = {
  [Code.Unavailable]: "The service can't be reached right now. Check your connection and try again.",
  [Code.DeadlineExceeded]: "The service took too long to answer. Try again.",
  [Code.Unauthenticated]: "Your session has ended. Please log in again.",
  [Code.PermissionDenied]: "You are not allowed to do this.",
  [Code.NotFound]: "This no longer exists.",
  [Code.ResourceExhausted]: "Too many requests. Wait a minute, then try again.",
  [Code.Internal]: "Something went wrong on our side. Try again later.",
  [Code.Unknown]: "Something went wrong. Try again.",
};

export function toApiProblem(error: unknown): ApiProblem {
  const err = ConnectError.from(error);
  const reason = err.findDetails(ErrorInfoSchema)[0]?.reason ?? "";
  const fieldErrors: Record<string, string> = {};
  for (const badRequest of err.findDetails(BadRequestSchema)) {
    for (const violation of badRequest.fieldViolations) {
      const field = violation.field;
      if (field && !(field in fieldErrors)) fieldErrors[field] = sentence(violation.description || "is not valid");
    }
  }
  let reasonField = REASON_FIELDS[reason];
  if (reasonField && !(reasonField in fieldErrors)) fieldErrors[reasonField] = REASON_MESSAGES[reason] ?? err.rawMessage;
  else reasonField = undefined;
  const message =
    REASON_MESSAGES[reason] ??
    (Object.keys(fieldErrors).length > 0 ? "Some fields need attention." : undefined) ??
    CODE_MESSAGES[err.code] ??
    sentence(err.rawMessage || "Something went wrong. Try again.");
  return { code: err.code, reason, message, fieldErrors, reasonField };
}

/**
 * Splits a problem for a form: violations of fields the form shows go next to them; the others join
 * the message next to the submit button, so nothing the server said is lost. `reasonFields` moves a
 * reason to the field that means it in this form (PASSWORD_INCORRECT is `current_password` when the form
 * also asks for a new password; EMAIL_TAKEN is `new_email` when the address is being changed).
 */
export function problemForForm(
  problem: ApiProblem,
  formFields: readonly string[],
  reasonFields: Readonly<Record<string, string>> = {},
): { fieldErrors: Record<string, string>; formError: string } {
  const fieldErrors: Record<string, string> = {};
  const unplaced: string[] = [];
  const movedTo = reasonFields[problem.reason];
  for (const [field, text] of Object.entries(problem.fieldErrors)) {
    if (movedTo && field === problem.reasonField) continue;
    if (formFields.includes(field)) fieldErrors[field] = text;
    else unplaced.push(`${field}: ${text}`);
  }
  if (movedTo && !(movedTo in fieldErrors)) fieldErrors[movedTo] = problem.message;
  const formError = [problem.message, ...unplaced].join(" ");
  return { fieldErrors, formError };
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
