// What the handlers and the event consumer call: the profile service's use cases, one per file beside this
// one, each built by definition.ts from only the dependencies it declares.
import type { EntityManager } from "@mikro-orm/core";
import type { EditableFields, ProfileState, UserSummary } from "../domain/profile.ts";

/** The caller, as the verified access token names them. */
export interface ProfileUser {
  userId: string;
  username: string;
}

/** A user as user.registered describes them. */
export interface RegisteredUser extends ProfileUser {
  firstName: string;
  lastName: string;
}

export interface DirectoryRequest {
  search: string;
  pageSize: number;
  pageToken: string;
}

export interface DirectoryPage {
  users: UserSummary[];
  nextPageToken: string;
}

export interface ProfileUseCases {
  getMyProfile(user: ProfileUser): Promise<ProfileState>;
  /** PUT: every editable field is replaced (the transport passes "" for a field left out). */
  replaceMyProfile(user: ProfileUser, fields: EditableFields): Promise<ProfileState>;
  /** PATCH: only the fields given change. */
  updateMyProfile(user: ProfileUser, changes: Partial<EditableFields>): Promise<ProfileState>;
  listUsers(user: ProfileUser, request: DirectoryRequest): Promise<DirectoryPage>;
  batchGetUsers(userIds: readonly string[]): Promise<UserSummary[]>;
  /** The effect of user.registered, inside the consumer's transaction (which also records the event id). */
  applyUserRegistered(em: EntityManager, user: RegisteredUser): Promise<void>;
  /** The effect of user.deleted, inside the consumer's transaction. */
  applyUserDeleted(em: EntityManager, userId: string, deletedAt: Date): Promise<void>;
}
