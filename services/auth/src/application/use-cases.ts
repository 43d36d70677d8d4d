// The auth service's use cases as the handlers take them: each built once by definition.ts from the
// dependencies it declares.
import type { JWK } from "jose";
import type { KeptMail } from "../adapters/dev-mailbox.ts";
import type { changePassword } from "./change-password.ts";
import type { confirmEmailChange } from "./confirm-email-change.ts";
import type { confirmPasswordReset } from "./confirm-password-reset.ts";
import type { deleteAccount } from "./delete-account.ts";
import type { expireUnverifiedAccounts } from "./expire-unverified-accounts.ts";
import type { listSessions } from "./list-sessions.ts";
import type { login } from "./login.ts";
import type { logout } from "./logout.ts";
import type { logoutAll } from "./logout-all.ts";
import type { refreshToken } from "./refresh-token.ts";
import type { register } from "./register.ts";
import type { requestEmailChange } from "./request-email-change.ts";
import type { requestPasswordReset } from "./request-password-reset.ts";
import type { resendVerificationCode } from "./resend-verification-code.ts";
import type { revokeSession } from "./revoke-session.ts";
import type { verifyEmail } from "./verify-email.ts";

export interface AuthUseCases {
  register: ReturnType<typeof register>;
  verifyEmail: ReturnType<typeof verifyEmail>;
  resendVerificationCode: ReturnType<typeof resendVerificationCode>;
  login: ReturnType<typeof login>;
  refreshToken: ReturnType<typeof refreshToken>;
  logout: ReturnType<typeof logout>;
  requestPasswordReset: ReturnType<typeof requestPasswordReset>;
  confirmPasswordReset: ReturnType<typeof confirmPasswordReset>;
  changePassword: ReturnType<typeof changePassword>;
  requestEmailChange: ReturnType<typeof requestEmailChange>;
  confirmEmailChange: ReturnType<typeof confirmEmailChange>;
  listSessions: ReturnType<typeof listSessions>;
  revokeSession: ReturnType<typeof revokeSession>;
  logoutAll: ReturnType<typeof logoutAll>;
  deleteAccount: ReturnType<typeof deleteAccount>;
  /** Background: run periodically by the service (and by tests). */
  expireUnverifiedAccounts: ReturnType<typeof expireUnverifiedAccounts>;
  /** The published public signing keys (the JWKS). */
  publishedKeys(): JWK[];
  /** Development only: the mails kept instead of sent, to one address, newest first. */
  listDevMail(to: string): Promise<KeptMail[]>;
}
