// What the use cases need from the outside world, as narrow interfaces; adapters/ implements them.

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
