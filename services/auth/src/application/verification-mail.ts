// The verification-code mail, composed by the mail relay after the answer (register, resend). At delivery:
// the account is looked up by the address; a verified or unknown address gets nothing; a new code replaces
// the live one unless one was sent less than `minIntervalSeconds` ago (resend: the per-address interval).
// Only the code's HMAC is stored; the code itself exists only in the mail.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { generateCode, hashCode } from "../domain/verification-code.ts";
import { findUserByEmail } from "../persistence/user.repository.ts";
import { replaceCode } from "../persistence/verification-code.repository.ts";
import type { MailComposer, MailQueue } from "./mail-queue.ts";

export const VERIFICATION_MAIL = "verification_code";

/** Queues the verification mail to `email`: one statement, the same whether or not the address has an account. */
export function queueVerificationMail(
  deps: { mailQueue: MailQueue },
  em: EntityManager,
  email: string,
  options: { minIntervalSeconds: number },
): Promise<void> {
  return deps.mailQueue.queue(em, VERIFICATION_MAIL, email, { minIntervalSeconds: options.minIntervalSeconds });
}

/** What the verification-code composer needs: the code lifetime and the key its HMAC is made with. */
export interface VerificationMailDeps {
  config: Pick<AuthConfig, "otpTtlSeconds">;
  codeKey: Buffer;
}

export function composeVerificationMail(deps: VerificationMailDeps): MailComposer {
  return async (tx, { to, data }) => {
    const user = await findUserByEmail(tx, to);
    if (!user || user.emailVerified) return undefined;
    const code = generateCode();
    const stored = await replaceCode(
      tx,
      {
        userId: user.id,
        email: user.email,
        codeHash: hashCode(deps.codeKey, { userId: user.id, email: user.email }, code),
        ttlSeconds: deps.config.otpTtlSeconds,
      },
      Number(data.minIntervalSeconds ?? 0),
    );
    if (!stored) return undefined;
    const minutes = Math.round(deps.config.otpTtlSeconds / 60);
    return {
      to: user.email,
      subject: "Your verification code",
      text: `Your verification code is ${code}.\n\nIt expires in ${minutes} minutes. If you did not ask for it, ignore this mail.\n`,
    };
  };
}
