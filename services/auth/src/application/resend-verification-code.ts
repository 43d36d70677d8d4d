// A new verification code. With an address (public): the answer does the same work whatever the address
// (count the client's send, queue a mail), so it takes the same time; the mail relay decides after the answer
// whether the address gets a code (an unverified account, at most one per interval) and the new code kills
// the old one. Without one: the caller's own address (access token).
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { findUserById } from "../persistence/user.repository.ts";
import type { MailQueue } from "./mail-queue.ts";
import { hit, keys } from "./rate-limiter.ts";
import { queueVerificationMail } from "./verification-mail.ts";

export const emailRequired = () => domainError(ErrorReason.EMAIL_REQUIRED, { field: "email" });

export interface ResendVerificationCodeDeps {
  orm: MikroORM;
  config: Pick<AuthConfig, "limits" | "otpResendIntervalSeconds">;
  mailQueue: MailQueue;
}

export function resendVerificationCode(deps: ResendVerificationCodeDeps) {
  return async (input: { email: string; callerId: string | undefined; client: string }): Promise<void> => {
    if (input.email === "" && input.callerId === undefined) throw emailRequired();
    const em = deps.orm.em.fork();
    // Beyond the client's allowance sends are dropped silently: the answer stays the same.
    if ((await hit(em, keys.otpClient(input.client), deps.config.limits.otpSendsPerClient)) !== undefined) return;
    const email = input.email !== "" ? input.email : (await findUserById(em, input.callerId!))?.email;
    if (email) await queueVerificationMail(deps, em, email, { minIntervalSeconds: deps.config.otpResendIntervalSeconds });
  };
}
