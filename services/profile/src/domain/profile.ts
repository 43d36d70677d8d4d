// The profile and the rules for changing it, free of storage and transport.

/** What the user may change. Everything else (user_id, username, ...) is not editable. */
export interface EditableFields {
  displayName: string;
  firstName: string;
  lastName: string;
  bio: string;
  avatarUrl: string;
}

export type EditableField = keyof EditableFields;

export const EDITABLE_FIELDS: readonly EditableField[] = ["displayName", "firstName", "lastName", "bio", "avatarUrl"];

export interface Profile extends EditableFields {
  userId: string;
  username: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Whether the user set a name themselves; a late user.registered must not overwrite it. */
export interface NameEdits {
  firstNameEdited: boolean;
  lastNameEdited: boolean;
}

export type ProfileState = Profile & NameEdits;

/** What others may see of a user. */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string;
}

/**
 * A new profile. The display name defaults to the username: it is known from the first moment (the access
 * token carries it, the names only come later with user.registered), so it never changes under the user.
 */
export function newProfile(user: { userId: string; username: string; firstName?: string; lastName?: string }, now: Date): ProfileState {
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.username,
    firstName: user.firstName ?? "",
    lastName: user.lastName ?? "",
    bio: "",
    avatarUrl: "",
    firstNameEdited: false,
    lastNameEdited: false,
    createdAt: now,
    updatedAt: now,
  };
}

export interface Change {
  next: ProfileState;
  /** The editable fields whose value changed; empty when the edit changed nothing. */
  changed: EditableField[];
}

/**
 * A user's edit: PUT gives every editable field, PATCH only some. A name the user gives (even unchanged,
 * even empty) is theirs from then on.
 */
export function applyEdit(state: ProfileState, edit: Partial<EditableFields>, now: Date): Change {
  const next: ProfileState = { ...state };
  const changed: EditableField[] = [];
  for (const field of EDITABLE_FIELDS) {
    const value = edit[field];
    if (value === undefined) continue;
    if (value !== state[field]) changed.push(field);
    next[field] = value;
  }
  if (edit.firstName !== undefined) next.firstNameEdited = true;
  if (edit.lastName !== undefined) next.lastNameEdited = true;
  if (changed.length > 0) next.updatedAt = now;
  return { next, changed };
}

/** user.registered arriving after the profile was created from the token: fill the names the user has not set. */
export function reconcileRegistration(state: ProfileState, names: { firstName: string; lastName: string }, now: Date): Change {
  const next: ProfileState = { ...state };
  const changed: EditableField[] = [];
  if (!state.firstNameEdited && state.firstName !== names.firstName) {
    next.firstName = names.firstName;
    changed.push("firstName");
  }
  if (!state.lastNameEdited && state.lastName !== names.lastName) {
    next.lastName = names.lastName;
    changed.push("lastName");
  }
  if (changed.length > 0) next.updatedAt = now;
  return { next, changed };
}
