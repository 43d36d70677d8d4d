// The account lifecycle's mails, sent after the answer through the mail outbox (mail-queue.ts): the use case
// queues a kind and an address in its transaction; the composer, run by the mail relay, makes the token or
// code, stores its hash, and returns the mail (or nothing: unknown address, too soon). So the reset request
// does the same work for a known and an unknown address, and no secret ever waits in the queue.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { generateResetToken, hashResetToken } from "../domain/reset-token.ts";
import { generateCode, hashCode } from "../domain/verification-code.ts";
import { storeResetToken } from "../persistence/password-reset.repository.ts";
import { accountExists } from "../persistence/user.repository.ts";
import { replaceCode } from "../persistence/verification-code.repository.ts";
import type { MailComposer, MailQueue } from "./mail-queue.ts";

export const PASSWORD_RESET_MAIL = "password_reset";
export const EMAIL_CHANGE_CODE_MAIL = "email_change_code";
export const EMAIL_CHANGE_NOTICE_MAIL = "email_change_notice";

/** What the composers need: lifetimes, intervals, the web address of the reset page and the codes' HMAC key. */
export interface LifecycleMailDeps {
  config: Pick<
    AuthConfig,
    "otpTtlSeconds" | "otpResendIntervalSeconds" | "passwordResetTtlSeconds" | "passwordResetIntervalSeconds" | "webBaseUrl"
  >;
  codeKey: Buffer;
}

/** Queues the reset link for `email`: one row, whether or not the address has an account. */
export function queuePasswordResetMail(deps: { mailQueue: MailQueue }, em: EntityManager, email: string): Promise<void> {
  return deps.mailQueue.queue(em, PASSWORD_RESET_MAIL, email);
}

/** Queues the code to the new address and the notice to the current one. */
export async function queueEmailChangeMails(
  deps: { mailQueue: MailQueue },
  em: EntityManager,
  change: { userId: string; username: string; currentEmail: string; newEmail: string },
): Promise<void> {
  await deps.mailQueue.queue(em, EMAIL_CHANGE_CODE_MAIL, change.newEmail, { userId: change.userId, username: change.username });
  await deps.mailQueue.queue(em, EMAIL_CHANGE_NOTICE_MAIL, change.currentEmail, { username: change.username, newEmail: change.newEmail });
}

/** A new reset token for the account of `to` (none when there is no account, or a link went out < 60 s ago). */
export function composePasswordResetMail(deps: LifecycleMailDeps): MailComposer {
  return async (tx, { to }) => {
    const token = generateResetToken();
    const userId = await storeResetToken(
      tx,
      { email: to, tokenHash: hashResetToken(token), ttlSeconds: deps.config.passwordResetTtlSeconds },
      deps.config.passwordResetIntervalSeconds,
    );
    if (!userId) return undefined;
    const minutes = Math.round(deps.config.passwordResetTtlSeconds / 60);
    return {
      to,
      subject: "Reset your password",
      text:
        "Someone asked to reset the password of your account. To choose a new password, open:\n\n" +
        `${deps.config.webBaseUrl}/#/reset?token=${token}\n\n` +
        `The link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.\n`,
    };
  };
}

/** The code that confirms the new address `to`, bound to the account and that address. */
export function composeEmailChangeCodeMail(deps: LifecycleMailDeps): MailComposer {
  return async (tx, { to, data }) => {
    const userId = String(data.userId ?? "");
    // Deleted since the request: nothing to confirm (and no code row may point at a missing account).
    if (!(await accountExists(tx, userId))) return undefined;
    const code = generateCode();
    const stored = await replaceCode(
      tx,
      { userId, email: to, codeHash: hashCode(deps.codeKey, { userId, email: to }, code), ttlSeconds: deps.config.otpTtlSeconds },
      deps.config.otpResendIntervalSeconds,
      "email_change",
    );
    if (!stored) return undefined;
    const minutes = Math.round(deps.config.otpTtlSeconds / 60);
    return {
      to,
      subject: "Confirm your new email address",
      text: `Your confirmation code is ${code}.\n\nEnter it to make this the address of your account "${String(data.username)}". It expires in ${minutes} minutes. If you did not ask for it, ignore this mail.\n`,
    };
  };
}

/** Tells the current address that a change was asked for. */
export function composeEmailChangeNoticeMail(): MailComposer {
  return async (_tx, { to, data }) => ({
    to,
    subject: "Your email address is being changed",
    text: `Someone signed in as "${String(data.username)}" asked to change the address of the account to ${String(data.newEmail)}. Nothing changes until a code sent there is entered.\n\nIf this was not you, change your password and log out everywhere.\n`,
  });
}

export function lifecycleMailComposers(deps: LifecycleMailDeps): Record<string, MailComposer> {
  return {
    [PASSWORD_RESET_MAIL]: composePasswordResetMail(deps),
    [EMAIL_CHANGE_CODE_MAIL]: composeEmailChangeCodeMail(deps),
    [EMAIL_CHANGE_NOTICE_MAIL]: composeEmailChangeNoticeMail(),
  };
}
