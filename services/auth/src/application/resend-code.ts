// A new verification code. The answer does the same work whatever the address (count the client's send,
// queue a mail), so it takes the same time; the mail relay decides after the answer whether the address
// gets a code (an unverified account, at most one per interval) and the new code kills the old one.
import type { AuthDeps } from "./auth-deps.ts";
import { hit, keys } from "./rate-limiter.ts";
import { queueVerificationMail } from "./verification-mail.ts";

export async function resendCode(deps: AuthDeps, input: { email: string; client: string }): Promise<void> {
  const em = deps.orm.em.fork();
  // Beyond the client's allowance sends are dropped silently: the answer stays the same.
  if ((await hit(em, keys.otpClient(input.client), deps.config.limits.otpSendsPerClient)) !== undefined) return;
  await queueVerificationMail(deps, em, input.email, { minIntervalSeconds: deps.config.otpResendIntervalSeconds });
}
