// Password reset, first step. The request answers the same, in the same time, for any address: it queues one
// mail row; after the answer the composer stores a token only if the account exists and no link went out in
// the last minute (lifecycle-mail.ts).
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { queuePasswordResetMail } from "./lifecycle-mail.ts";
import type { MailQueue } from "./mail-queue.ts";
import { hit, keys, rateLimited } from "./rate-limiter.ts";

export interface RequestPasswordResetDeps {
  orm: MikroORM;
  config: Pick<AuthConfig, "limits">;
  mailQueue: MailQueue;
}

export function requestPasswordReset(deps: RequestPasswordResetDeps) {
  return async (input: { email: string; client: string }): Promise<void> => {
    const em = deps.orm.em.fork();
    const retryAfter = await hit(em, keys.passwordResetClient(input.client), deps.config.limits.passwordResetsPerClient);
    if (retryAfter !== undefined) throw rateLimited(retryAfter);
    // The composer (after the answer) finds the account, if any, and makes the token.
    await em.transactional((tx) => queuePasswordResetMail(deps, tx, input.email));
  };
}
