// An account as its owner sees it: what register, verify-email and confirm-email-change answer with. Fields
// of the entity (the row type), without the password hash and the import bookkeeping.
import type { UserRow } from "../persistence/user.repository.ts";

export type UserView = Pick<UserRow, "id" | "username" | "email" | "emailVerified" | "firstName" | "lastName" | "dateJoined">;

export function userView(row: UserRow): UserView {
  const { id, username, email, emailVerified, firstName, lastName, dateJoined } = row;
  return { id, username, email, emailVerified, firstName, lastName, dateJoined };
}
