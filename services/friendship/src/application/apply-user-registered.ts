// The effect of user.registered: the user joins the replica. A row that already exists (from the caller's
// token or a profile.updated that came first) keeps its data.
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import { insertUserIfMissing } from "../persistence/known-user.repository.ts";

/** It needs nothing but the consumer's transaction. */
export type ApplyUserRegisteredDeps = Record<string, never>;

export type ApplyUserRegistered = (em: SqlEntityManager, user: { id: string; username: string }) => Promise<void>;

export function applyUserRegistered(_deps: ApplyUserRegisteredDeps = {}): ApplyUserRegistered {
  return (em, user) => insertUserIfMissing(em, user);
}
