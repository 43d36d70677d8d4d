// Change of address, first step: with the current password, a 6-digit code to the new address (HMAC bound to
// this account and that address, 10 minutes, 5 tries) and a notice to the current one, both composed after
// the answer (lifecycle-mail.ts). The new address must be free now; the unique index decides at the switch.
import type { Caller } from "@identity/shared/auth/caller.ts";
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { emailTakenOn, findUserByEmail } from "../persistence/user.repository.ts";
import { codeSentWithin } from "../persistence/verification-code.repository.ts";
import { type CurrentPasswordDeps, checkCurrentPassword } from "./current-password.ts";
import { queueEmailChangeMails } from "./lifecycle-mail.ts";
import type { MailQueue } from "./mail-queue.ts";
import { rateLimited } from "./rate-limiter.ts";

export interface RequestEmailChangeDeps extends CurrentPasswordDeps {
  orm: MikroORM;
  config: Pick<AuthConfig, "limits" | "otpResendIntervalSeconds">;
  mailQueue: MailQueue;
}

export function requestEmailChange(deps: RequestEmailChangeDeps) {
  return async (caller: Caller, input: { newEmail: string; password: string; client: string; requestId?: string }): Promise<void> => {
    const em = deps.orm.em.fork();
    const user = await checkCurrentPassword(deps, em, caller, { ...input, field: "password" });
    if (user.email.toLowerCase() === input.newEmail.toLowerCase()) {
      throw domainError(ErrorReason.EMAIL_UNCHANGED, { field: "new_email" });
    }
    if (await findUserByEmail(em, input.newEmail)) throw emailTakenOn("new_email");
    // One code per interval; the composer checks again under its own transaction, so a racing second request
    // is dropped there.
    if (await codeSentWithin(em, user.id, deps.config.otpResendIntervalSeconds, "email_change")) {
      throw rateLimited(deps.config.otpResendIntervalSeconds);
    }
    await em.transactional((tx) =>
      queueEmailChangeMails(deps, tx, { userId: user.id, username: user.username, currentEmail: user.email, newEmail: input.newEmail }),
    );
  };
}
