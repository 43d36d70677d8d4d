// What the use cases need from the outside world, as narrow interfaces; adapters/ implements them.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends (or, in development, keeps) a mail. Called after the transaction that caused it has committed. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the time of a verification when there is no account, so that both answers take as long. */
  verifyDummy(password: string): Promise<void>;
  /** True when a hash that just verified is not the current algorithm and parameters: store a new one. */
  needsRehash(hash: string): boolean;
}

export interface TokenSubject {
  userId: string;
  username: string;
  emailVerified: boolean;
}

export interface TokenPair {
  access: string;
  refresh: string;
}

export const tokenNotValid = () => domainError(ErrorReason.TOKEN_NOT_VALID, { variant: "refresh" });

export interface TokenIssuer {
  /**
   * A pair for session `session.id` (the `sid` claim of both tokens, what revocation refers to) whose refresh
   * token has id `refreshJti` and expires at the latest with the session.
   */
  issue(subject: TokenSubject, session: { id: string; refreshJti: string; expiresAt: Date }): Promise<TokenPair>;
  /** The jti of a valid refresh token, or TOKEN_NOT_VALID. Whether it is spent is the database's business. */
  readRefresh(token: string): Promise<{ jti: string; userId: string }>;
}
