// The profile service's use cases.
//
// Read-your-writes: a client that has just registered holds an access token before user.registered has
// reached us. The token's claims (sub, username) are enough to create the profile, so the first request
// that needs it (read or edit) creates it with `insert ... on conflict do nothing`; user.registered
// creates it the same way if it comes first, and otherwise fills first/last name unless the user already
// set them. Whoever creates it writes the one profile.updated of the creation.

import { accountDeleted } from "@identity/shared/auth/access-token-verifier.ts";
import { invalidArgument } from "@identity/shared/errors.ts";
import { isUuid } from "@identity/shared/ids.ts";
import { decodePageToken, encodePageToken, pageSizeOf } from "@identity/shared/pagination.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { MikroORM } from "@mikro-orm/postgresql";
import { recordProfileUpdated } from "../adapters/profile-updated-event.ts";
import { searchTextOf } from "../domain/directory-search.ts";
import {
  applyEdit,
  type EditableFields,
  newProfile,
  type ProfileState,
  reconcileRegistration,
  type UserSummary,
} from "../domain/profile.ts";
import { deleteProfileForGood, isDeleted, lockUser } from "../persistence/deleted-user.repository.ts";
import { listDirectory } from "../persistence/directory.repository.ts";
import {
  assignState,
  findProfile,
  findSummaries,
  insertIfMissing,
  lockProfile,
  readProfileState,
  toState,
} from "../persistence/profile.repository.ts";

export interface ProfileUser {
  userId: string;
  username: string;
}

export interface RegisteredUser extends ProfileUser {
  firstName: string;
  lastName: string;
}

export interface DirectoryPage {
  users: UserSummary[];
  nextPageToken: string;
}

export interface ProfileUseCasesOptions {
  orm: MikroORM;
  now?: () => Date;
}

export type ProfileUseCases = ReturnType<typeof createProfileUseCases>;

export function createProfileUseCases(options: ProfileUseCasesOptions) {
  const now = options.now ?? (() => new Date());

  /**
   * Creates the profile from what the caller's token (or user.registered) says, unless it exists or the user
   * was deleted: "created", "exists" or "deleted".
   */
  const ensureProfile = async (
    em: EntityManager,
    user: ProfileUser & Partial<RegisteredUser>,
  ): Promise<"created" | "exists" | "deleted"> => {
    await lockUser(em, user.userId);
    if (await isDeleted(em, user.userId)) return "deleted";
    const profile = newProfile(user, now());
    const created = await insertIfMissing(em, profile);
    if (created) recordProfileUpdated(em, profile);
    return created ? "created" : "exists";
  };

  /** For a request: the profile exists afterwards, or the account is gone (401 ACCOUNT_DELETED). */
  const ensureOwnProfile = async (em: EntityManager, user: ProfileUser): Promise<void> => {
    if ((await ensureProfile(em, user)) === "deleted") throw accountDeleted();
  };

  const edit = async (user: ProfileUser, changes: Partial<EditableFields>): Promise<ProfileState> => {
    return options.orm.em.fork().transactional(async (em) => {
      await ensureOwnProfile(em, user);
      const row = await lockProfile(em, user.userId);
      if (!row) throw new Error("profile vanished inside its transaction");
      const change = applyEdit(toState(row), changes, now());
      assignState(row, change.next);
      if (change.changed.length > 0) recordProfileUpdated(em, change.next);
      return change.next;
    });
  };

  return {
    async getMyProfile(user: ProfileUser): Promise<ProfileState> {
      const existing = await readProfileState(options.orm.em.fork(), user.userId);
      if (existing) return existing;
      return options.orm.em.fork().transactional(async (em) => {
        await ensureOwnProfile(em, user);
        const row = await findProfile(em, user.userId);
        if (!row) throw new Error("profile vanished inside its transaction");
        return toState(row);
      });
    },

    /** PUT: every editable field is replaced (the transport passes "" for a field left out). */
    replaceMyProfile(user: ProfileUser, fields: EditableFields): Promise<ProfileState> {
      return edit(user, fields);
    },

    /** PATCH: only the fields given change. */
    updateMyProfile(user: ProfileUser, changes: Partial<EditableFields>): Promise<ProfileState> {
      return edit(user, changes);
    },

    async listUsers(user: ProfileUser, request: { search: string; pageSize: number; pageToken: string }): Promise<DirectoryPage> {
      const limit = pageSizeOf(request.pageSize);
      const key = decodePageToken(request.pageToken, ["string", "string"] as const);
      if (key && !isUuid(key[1])) throw invalidArgument("INVALID_PAGE_TOKEN", "page_token is not valid", "page_token");
      const rows = await listDirectory(options.orm.em.fork(), {
        excludeUserId: user.userId,
        search: searchTextOf(request.search),
        after: key && { usernameKey: key[0], userId: key[1] },
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        users: page.map((r) => r.summary),
        nextPageToken: rows.length > limit && last ? encodePageToken([last.cursor.usernameKey, last.cursor.userId]) : "",
      };
    },

    /** Summaries in the order asked, each id once; unknown ids are left out. */
    async batchGetUsers(userIds: readonly string[]): Promise<UserSummary[]> {
      const wanted = [...new Set(userIds.map((id) => id.toLowerCase()))];
      const found = new Map((await findSummaries(options.orm.em.fork(), wanted)).map((s) => [s.id, s]));
      return wanted.flatMap((id) => found.get(id) ?? []);
    },

    /** The effect of user.registered, inside the consumer's transaction (which also records the event id). */
    async applyUserRegistered(em: EntityManager, user: RegisteredUser): Promise<void> {
      if ((await ensureProfile(em, user)) !== "exists") return;
      const row = await lockProfile(em, user.userId);
      if (!row) throw new Error("profile vanished inside its transaction");
      const change = reconcileRegistration(toState(row), user, now());
      assignState(row, change.next);
    },

    /** The effect of user.deleted: the profile leaves the directory for good. */
    async applyUserDeleted(em: EntityManager, userId: string, deletedAt: Date): Promise<void> {
      await deleteProfileForGood(em, userId, deletedAt);
    },
  };
}
