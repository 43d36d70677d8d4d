// Mails a verification code. Called only after the transaction that stored the code has committed; a
// failure is logged (without the address or the code) and the account stays: the user can ask for a resend.
import type { AuthDeps } from "./auth-deps.ts";

export async function mailVerificationCode(
  deps: Pick<AuthDeps, "mail" | "logger" | "config">,
  userId: string,
  to: string,
  code: string,
): Promise<void> {
  const minutes = Math.round(deps.config.otpTtlSeconds / 60);
  try {
    await deps.mail.send({
      to,
      subject: "Your verification code",
      text: `Your verification code is ${code}.\n\nIt expires in ${minutes} minutes. If you did not ask for it, ignore this mail.\n`,
    });
  } catch (err) {
    deps.logger.error({ userId, error: err instanceof Error ? err.message : String(err) }, "verification mail not sent");
  }
}
