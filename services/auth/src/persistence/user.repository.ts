// Accounts. Uniqueness is the database's: the unique violation of the insert is mapped to USERNAME_TAKEN or
// EMAIL_TAKEN, so that two parallel registrations of one name give one account and one 409.

import { alreadyExists } from "@identity/shared/errors.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql, toDate, violatedUniqueIndex } from "./sql.ts";
import { UserEntity, type UserRow } from "./user.entity.ts";

export type { UserRow };

export interface NewUser {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  dateJoined: Date;
}

export const usernameTaken = () => alreadyExists("USERNAME_TAKEN", "A user with that username already exists.", "username");
export const emailTaken = () => alreadyExists("EMAIL_TAKEN", "A user with that email already exists.", "email");

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
  const [row] = await sql<{ username: boolean; email: boolean }>(
    em,
    `select exists (select 1 from app_user where lower(username) = lower(?)) as username,
            exists (select 1 from app_user where lower(email) = lower(?)) as email`,
    [username, email],
  );
  return { username: Boolean(row?.username), email: Boolean(row?.email) };
}

export interface UserRecord {
  id: string;
  username: string;
  email: string;
  email_verified: boolean;
  first_name: string;
  last_name: string;
  date_joined: Date;
}

const USER_COLUMNS = "id, username, email, email_verified, first_name, last_name, date_joined";

const withDate = <T extends UserRecord>(row: T): T => ({ ...row, date_joined: toDate(row.date_joined) });

export async function findUserByEmail(em: EntityManager, email: string): Promise<UserRecord | undefined> {
  const [row] = await sql<UserRecord>(em, `select ${USER_COLUMNS} from app_user where lower(email) = lower(?)`, [email]);
  return row && withDate(row);
}

export async function markEmailVerified(em: EntityManager, userId: string): Promise<UserRecord> {
  const [row] = await sql<UserRecord>(em, `update app_user set email_verified = true where id = ? returning ${USER_COLUMNS}`, [userId]);
  if (!row) throw new Error("account vanished during verification");
  return withDate(row);
}

export interface LoginCandidate {
  user: (UserRecord & { password_hash: string }) | undefined;
  accountFailures: number;
  clientFailures: number;
}

/**
 * The whole read side of a login in one indexed round trip: the active account by username or, when the
 * identifier contains "@", by email (an inactive one is treated as unknown, as Django's ModelBackend does); and the failure counts of the account's (by user id, or by the identifier when there
 * is no such account) and the client's current windows.
 */
export async function findLoginCandidate(
  em: EntityManager,
  identifier: string,
  buckets: { accountKeyPrefix: string; clientKey: string; accountWindow: Date; clientWindow: Date },
): Promise<LoginCandidate> {
  const byEmail = identifier.includes("@");
  const rows = await sql<
    UserRecord & { password_hash: string | null; id: string | null; account_failures: number; client_failures: number }
  >(
    em,
    `select u.${USER_COLUMNS.split(", ").join(", u.")}, u.password_hash,
       coalesce((select count from rate_limit_bucket where key = ? || coalesce(u.id::text, lower(?)) and window_start = ?), 0) as account_failures,
       coalesce((select count from rate_limit_bucket where key = ? and window_start = ?), 0) as client_failures
     from (select 1) as one
     left join app_user u on ${byEmail ? "lower(u.email)" : "lower(u.username)"} = lower(?) and u.is_active`,
    [buckets.accountKeyPrefix, identifier, buckets.accountWindow, buckets.clientKey, buckets.clientWindow, identifier],
  );
  const row = rows[0];
  if (!row) return { user: undefined, accountFailures: 0, clientFailures: 0 };
  const { account_failures, client_failures, ...user } = row;
  return {
    user: user.id ? (user as UserRecord & { password_hash: string }) : undefined,
    accountFailures: Number(account_failures),
    clientFailures: Number(client_failures),
  };
}

/**
 * Replaces the password hash only if it is still `previous`: of parallel logins that all verified the old
 * hash, exactly one stores its new hash (a compare-and-set, so raw SQL). True when this call replaced it.
 */
export async function replacePasswordHash(em: EntityManager, userId: string, previous: string, next: string): Promise<boolean> {
  const rows = await sql(em, "update app_user set password_hash = ? where id = ? and password_hash = ? returning id", [
    next,
    userId,
    previous,
  ]);
  return rows.length === 1;
}

/** Whether some account still has a Django password hash (an indexed probe: see the 0003 migration). */
export async function djangoHashesExist(em: EntityManager): Promise<boolean> {
  const [row] = await sql<{ present: boolean }>(
    em,
    "select exists (select 1 from app_user where password_hash not like '$argon2%' and password_hash not like '!%') as present",
  );
  return Boolean(row?.present);
}
