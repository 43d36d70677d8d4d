// After a successful login with a hash that is not the current Argon2id (a Django hash from the import),
// the password, known at this one moment, is hashed again and stored: once, even when parallel logins all
// verified the old hash (the write is a compare-and-set on it). A failed upgrade never fails the login.
import type { Logger } from "@identity/shared/logger.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { replacePasswordHash } from "../persistence/user.repository.ts";
import type { PasswordHasher } from "./ports.ts";

export interface PasswordUpgradeDeps {
  hasher: Pick<PasswordHasher, "hash" | "needsRehash">;
  logger: Logger;
}

export async function upgradePasswordHashIfNeeded(
  deps: PasswordUpgradeDeps,
  em: EntityManager,
  user: { id: string; passwordHash: string },
  password: string,
): Promise<void> {
  if (!deps.hasher.needsRehash(user.passwordHash)) return;
  try {
    const replaced = await replacePasswordHash(em, user.id, user.passwordHash, await deps.hasher.hash(password));
    if (replaced) deps.logger.info({ user_id: user.id }, "password hash upgraded to Argon2id");
  } catch (err) {
    deps.logger.warn({ err, user_id: user.id }, "password hash upgrade failed; the next login retries it");
  }
}
