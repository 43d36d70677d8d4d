// Registration: an account, its first session, the `user.registered` event and the verification mail (queued
// in the mail outbox; the relay makes the code and sends it after the answer) in one transaction.
import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { newId } from "@identity/shared/ids.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { AuthConfig } from "../config.ts";
import { passwordProblem } from "../domain/password-policy.ts";
import { recordUserRegistered } from "../events/published.ts";
import { sessionClient, startSession } from "../persistence/session.repository.ts";
import { emailTaken, insertUser, usernameOrEmailExists, usernameTaken } from "../persistence/user.repository.ts";
import type { MailQueue } from "./mail-queue.ts";
import type { PasswordHasher, TokenIssuer, TokenPair } from "./ports.ts";
import { hit, keys, rateLimited } from "./rate-limiter.ts";
import type { UserView } from "./user-view.ts";
import { queueVerificationMail } from "./verification-mail.ts";

export interface RegisterDeps {
  orm: MikroORM;
  now: () => Date;
  config: Pick<AuthConfig, "limits" | "sessionMaxLifetimeSeconds">;
  hasher: Pick<PasswordHasher, "hash">;
  tokens: Pick<TokenIssuer, "issue">;
  mailQueue: MailQueue;
}

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  client: string;
  userAgent?: string | null;
}

export function register(deps: RegisterDeps) {
  return async (input: RegisterInput): Promise<TokenPair & { user: UserView }> => {
    const em = deps.orm.em.fork();
    const retryAfter = await hit(em, keys.registerClient(input.client), deps.config.limits.registrationsPerClient);
    if (retryAfter !== undefined) throw rateLimited(retryAfter);

    const problem = passwordProblem(input.password, input);
    if (problem) throw domainError(ErrorReason.PASSWORD_TOO_COMMON, { variant: problem.variant, field: "password" });
    // Spares the slow hash for an obvious duplicate; the unique indexes still decide under a race.
    const taken = await usernameOrEmailExists(em, input.username, input.email);
    if (taken.username) throw usernameTaken();
    if (taken.email) throw emailTaken();

    const passwordHash = await deps.hasher.hash(input.password);
    const user: UserView = {
      id: newId(),
      username: input.username,
      email: input.email,
      emailVerified: false,
      firstName: input.firstName,
      lastName: input.lastName,
      dateJoined: deps.now(),
    };
    const sessionId = newId();
    const refreshJti = newId();
    const sessionExpiresAt = new Date(user.dateJoined.getTime() + deps.config.sessionMaxLifetimeSeconds * 1000);
    await em.transactional(async (tx) => {
      await insertUser(tx, { ...user, passwordHash });
      recordUserRegistered(tx, user);
      await startSession(tx, {
        id: sessionId,
        userId: user.id,
        expiresAt: sessionExpiresAt,
        refreshJti,
        client: sessionClient(input.userAgent, input.client),
      });
      await queueVerificationMail(deps, tx, user.email, { minIntervalSeconds: 0 });
    });

    const tokens = await deps.tokens.issue(
      { userId: user.id, username: user.username, emailVerified: false },
      { id: sessionId, refreshJti, expiresAt: sessionExpiresAt },
    );
    return { user, ...tokens };
  };
}
