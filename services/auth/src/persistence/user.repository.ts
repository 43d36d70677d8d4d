// Accounts. Uniqueness is the database's: the unique violation of the insert is mapped to USERNAME_TAKEN or
// EMAIL_TAKEN, so that two parallel registrations of one name give one account and one 409.

import { domainError, ErrorReason } from "@identity/shared/errors.ts";
import { atomicSql } from "@identity/shared/orm/atomic-sql.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { sameIgnoringCase } from "./case-insensitive.ts";
import { UserEntity, type UserRow } from "./user.entity.ts";

export type { UserRow };

export type NewUser = Pick<UserRow, "id" | "username" | "email" | "passwordHash" | "firstName" | "lastName" | "dateJoined">;

export const usernameTaken = () => domainError(ErrorReason.USERNAME_TAKEN, { field: "username" });
export const emailTakenOn = (field: string) => domainError(ErrorReason.EMAIL_TAKEN, { field });
export const emailTaken = () => emailTakenOn("email");

/** The name of the unique index a PostgreSQL unique violation names, if the error is one. */
function violatedUniqueIndex(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string } | undefined;
  return e?.code === "23505" ? e.constraint : undefined;
}

/** Reads return detached rows (the current state of the table, not an earlier read of this unit of work). */
const fresh = { disableIdentityMap: true } as const;

/** Inserts the account now (inside the caller's transaction), mapping unique violations to 409s. */
export async function insertUser(em: EntityManager, user: NewUser): Promise<UserRow> {
  const row = em.create(UserEntity, { ...user, emailVerified: false });
  try {
    await em.flush();
  } catch (err) {
    const index = violatedUniqueIndex(err);
    if (index === "app_user_username_key") throw usernameTaken();
    if (index === "app_user_email_key") throw emailTaken();
    throw err;
  }
  return row;
}

export async function usernameOrEmailExists(
  em: EntityManager,
  username: string,
  email: string,
): Promise<{ username: boolean; email: boolean }> {
  const [byUsername, byEmail] = await Promise.all([
    em.count(UserEntity, sameIgnoringCase<UserRow>("username", username)),
    em.count(UserEntity, sameIgnoringCase<UserRow>("email", email)),
  ]);
  return { username: byUsername > 0, email: byEmail > 0 };
}

export async function findUserByEmail(em: EntityManager, email: string): Promise<UserRow | undefined> {
  return (await em.findOne(UserEntity, sameIgnoringCase<UserRow>("email", email), fresh)) ?? undefined;
}

export async function findUserById(em: EntityManager, id: string): Promise<UserRow | undefined> {
  return (await em.findOne(UserEntity, { id }, fresh)) ?? undefined;
}

export async function markEmailVerified(em: EntityManager, userId: string): Promise<UserRow> {
  await em.nativeUpdate(UserEntity, { id: userId }, { emailVerified: true });
  const row = await findUserById(em, userId);
  if (!row) throw new Error("account vanished during verification");
  return row;
}

export interface LoginAttempt {
  user: UserRow | undefined;
  /** The client's failures in its window with this attempt, or undefined when its limit was already reached. */
  clientCount: number | undefined;
  /** The account's likewise (not counted when the client was refused). */
  accountCount: number | undefined;
}

/**
 * Count first, in one statement (one round trip): the active account by username or, when the identifier
 * contains "@", by email (an inactive one is treated as unknown, as Django's ModelBackend does); and a
 * reservation of this attempt in the client's bucket and then the account's (by user id, or by the
 * lower-cased identifier when there is no such account), each only while below its limit. When the client is
 * counted but the account refuses, the caller gives the client's back.
 */
export async function reserveLoginAttempt(
  em: EntityManager,
  identifier: string,
  buckets: {
    accountKeyPrefix: string;
    clientKey: string;
    accountWindow: Date;
    clientWindow: Date;
    accountLimit: number;
    clientLimit: number;
  },
): Promise<LoginAttempt> {
  const byEmail = identifier.includes("@");
  // Finding the account and reserving in both windows is one atomic step: 50 parallel attempts reserve exactly up to the limit.
  const [row] = await atomicSql<Record<string, unknown> & { client_count: number | null; account_count: number | null }>(
    em,
    `with u as (
       select * from app_user where ${byEmail ? "lower(email)" : "lower(username)"} = lower(?) and is_active
     ), c as (
       insert into rate_limit_bucket (key, window_start, count) values (?, ?, 1)
       on conflict (key, window_start) do update set count = rate_limit_bucket.count + 1 where rate_limit_bucket.count < ?
       returning count
     ), a as (
       insert into rate_limit_bucket (key, window_start, count)
       select ? || coalesce((select id::text from u), lower(?)), ?, 1 where exists (select 1 from c)
       on conflict (key, window_start) do update set count = rate_limit_bucket.count + 1 where rate_limit_bucket.count < ?
       returning count
     )
     select u.*, (select count from c) as client_count, (select count from a) as account_count
     from (select 1) as one left join u on true`,
    [
      identifier,
      buckets.clientKey,
      buckets.clientWindow,
      buckets.clientLimit,
      buckets.accountKeyPrefix,
      identifier,
      buckets.accountWindow,
      buckets.accountLimit,
    ],
  );
  const count = (n: number | null | undefined) => (n === null || n === undefined ? undefined : Number(n));
  if (!row) return { user: undefined, clientCount: undefined, accountCount: undefined };
  const { client_count, account_count, ...user } = row;
  return {
    // The row's columns as the entity (types converted), detached like every other read here.
    user: user.id ? em.fork().map(UserEntity, user) : undefined,
    clientCount: count(client_count),
    accountCount: count(account_count),
  };
}

/**
 * Replaces the password hash only if it is still `previous` (a compare-and-set in one conditional update): of
 * parallel logins that all verified the old hash, exactly one stores its new hash. True when this call replaced it.
 */
export async function replacePasswordHash(em: EntityManager, userId: string, previous: string, next: string): Promise<boolean> {
  return (await em.nativeUpdate(UserEntity, { id: userId, passwordHash: previous }, { passwordHash: next })) === 1;
}

/** Whether some account still has a Django password hash (an indexed probe: see the 0003 migration). */
export async function djangoHashesExist(em: EntityManager): Promise<boolean> {
  const row = await em.findOne(
    UserEntity,
    { $and: [{ $not: { passwordHash: { $like: "$argon2%" } } }, { $not: { passwordHash: { $like: "!%" } } }] },
    { fields: ["id"], ...fresh },
  );
  return row !== null;
}

export async function accountExists(em: EntityManager, userId: string): Promise<boolean> {
  return (await em.count(UserEntity, { id: userId })) > 0;
}

/** Sets the password hash; with `verifyEmail`, also marks the address verified (a reset link proved it). */
export async function setPasswordHash(em: EntityManager, userId: string, passwordHash: string, verifyEmail = false): Promise<void> {
  await em.nativeUpdate(UserEntity, { id: userId }, verifyEmail ? { passwordHash, emailVerified: true } : { passwordHash });
}

/** Switches the address (verified); EMAIL_TAKEN (on `field`) when another account has it, ignoring case. */
export async function switchEmail(em: EntityManager, userId: string, email: string, field: string): Promise<UserRow> {
  try {
    await em.nativeUpdate(UserEntity, { id: userId }, { email, emailVerified: true });
  } catch (err) {
    if (violatedUniqueIndex(err) === "app_user_email_key") throw emailTakenOn(field);
    throw err;
  }
  const row = await findUserById(em, userId);
  if (!row) throw new Error("account vanished during the email change");
  return row;
}

/** Deletes the account when it still matches `condition` (its sessions, tokens and codes go with it: cascade). */
export async function deleteUser(em: EntityManager, userId: string, condition: { unverifiedBefore?: Date } = {}): Promise<boolean> {
  const where = condition.unverifiedBefore
    ? { id: userId, emailVerified: false, dateJoined: { $lt: condition.unverifiedBefore } }
    : { id: userId };
  return (await em.nativeDelete(UserEntity, where)) > 0;
}

/** Ids of accounts still unverified that registered before `before`, oldest first. */
export async function findUnverifiedBefore(em: EntityManager, before: Date, limit: number): Promise<string[]> {
  const rows = await em.find(
    UserEntity,
    { emailVerified: false, dateJoined: { $lt: before } },
    { fields: ["id"], orderBy: { dateJoined: "asc" }, limit },
  );
  return rows.map((r) => r.id);
}
