// What the auth use cases depend on, satisfied once by the composition root (definition.ts).

import type { Logger } from "@identity/shared/logger.ts";
import type { SecurityLog } from "@identity/shared/security/security-log.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import type { UserRecord } from "../persistence/user.repository.ts";
import type { MailQueue } from "./mail-queue.ts";
import type { PasswordHasher } from "./ports.ts";
import type { TokenIssuer } from "./token-issuer.ts";

export interface AuthDeps {
  orm: MikroORM;
  config: AuthConfig;
  tokens: TokenIssuer;
  hasher: PasswordHasher;
  /** Mail after the answer: `mailQueue.queue(em, kind, to)` in the use case's transaction. */
  mailQueue: MailQueue;
  logger: Logger;
  securityLog: SecurityLog;
  /** HMAC key of the verification codes. */
  codeKey: Buffer;
}

/** Where a request came from, for throttles and the security log. */
export interface Origin {
  client?: string;
  requestId?: string;
}

/** An account as its owner sees it. */
export interface UserView {
  id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  dateJoined: Date;
}

export function userView(row: UserRecord): UserView {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified,
    firstName: row.first_name,
    lastName: row.last_name,
    dateJoined: row.date_joined,
  };
}
