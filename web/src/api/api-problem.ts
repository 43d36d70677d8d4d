import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorReason, reasonMessage, reasonName } from "@identity/proto/error-reasons";
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

/** A table keyed by the contract's reasons, read by the names clients receive (`USERNAME_TAKEN`). */
function byReasonName(table: Partial<Record<ErrorReason, string>>): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(table).map(([reason, value]) => [reasonName(Number(reason) as ErrorReason), value]));
}

// Reasons worth their own words for a person (the contract's are a developer's where they differ); anything
// else falls back to the server's message or to the code.
const REASON_MESSAGES = byReasonName({
  [ErrorReason.USERNAME_TAKEN]: "This username is already taken.",
  [ErrorReason.EMAIL_TAKEN]: "An account with this email address already exists.",
  [ErrorReason.PASSWORD_TOO_COMMON]: "This password is too common. Choose a less guessable one.",
  [ErrorReason.INVALID_CREDENTIALS]: "The username or password is not right.",
  [ErrorReason.RATE_LIMITED]: "Too many requests. Wait a minute, then try again.",
  [ErrorReason.OTP_INVALID]: "This code is not right. Check the latest email and try again.",
  [ErrorReason.OTP_EXPIRED]: "This code has expired. Send a new code and use that one.",
  [ErrorReason.OTP_ATTEMPTS_EXCEEDED]: "Too many wrong codes. Send a new code and use that one.",
  [ErrorReason.TOKEN_NOT_VALID]: "Your session has ended. Please log in again.",
  [ErrorReason.EMAIL_NOT_VERIFIED]: "You can't send friend requests until your email address is verified.",
  [ErrorReason.PASSWORD_INCORRECT]: "This password is not right.",
  [ErrorReason.RESET_TOKEN_INVALID]:
    "This reset link no longer works: it was already used, it is older than 30 minutes, or a newer link was sent.",
  [ErrorReason.ACCOUNT_DELETED]: reasonMessage(ErrorReason.ACCOUNT_DELETED),
  [ErrorReason.EMAIL_UNCHANGED]: "This is already your email address.",
  [ErrorReason.SESSION_NOT_FOUND]: "This session has already ended.",
});

// Reasons that are about one field of the form rather than the whole action.
const REASON_FIELDS = byReasonName({
  [ErrorReason.USERNAME_TAKEN]: "username",
  [ErrorReason.EMAIL_TAKEN]: "email",
  [ErrorReason.PASSWORD_TOO_COMMON]: "password",
  [ErrorReason.OTP_INVALID]: "code",
  [ErrorReason.OTP_EXPIRED]: "code",
  [ErrorReason.PASSWORD_INCORRECT]: "password",
  [ErrorReason.EMAIL_UNCHANGED]: "new_email",
});

/** Whether a failed call was refused with this reason of the contract. */
export const isReason = (problem: ApiProblem | null | undefined, reason: ErrorReason): boolean => problem?.reason === reasonName(reason);

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
  reasonFields: Partial<Record<ErrorReason, string>> = {},
): { fieldErrors: Record<string, string>; formError: string } {
  const fieldErrors: Record<string, string> = {};
  const unplaced: string[] = [];
  const movedTo = byReasonName(reasonFields)[problem.reason];
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
