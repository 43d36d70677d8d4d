// A new verification code: the answer is the same whatever the address; sends beyond one per interval per
// address, or beyond the client's allowance, are dropped silently. The new code kills the old one.
import { generateCode, hashCode } from "../domain/verification-code.ts";
import { findUserByEmail } from "../persistence/user.repository.ts";
import { replaceCode } from "../persistence/verification-code.repository.ts";
import type { AuthDeps } from "./auth-deps.ts";
import { hit, keys } from "./rate-limiter.ts";
import { mailVerificationCode } from "./verification-mail.ts";

export async function resendCode(deps: AuthDeps, input: { email: string; client: string }): Promise<void> {
  const em = deps.orm.em.fork();
  if ((await hit(em, keys.otpClient(input.client), deps.config.limits.otpSendsPerClient)) !== undefined) return;
  const user = await findUserByEmail(em, input.email);
  if (!user || user.email_verified) return;
  const code = generateCode();
  const stored = await replaceCode(
    em,
    {
      userId: user.id,
      email: user.email,
      codeHash: hashCode(deps.codeKey, { userId: user.id, email: user.email }, code),
      ttlSeconds: deps.config.otpTtlSeconds,
    },
    deps.config.otpResendIntervalSeconds,
  );
  if (stored) await mailVerificationCode(deps, user.id, user.email, code);
}
