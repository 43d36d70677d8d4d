// What the platform accepts of a Django row, judged by the contract's own rules (protovalidate on the
// messages a client would send: RegisterRequest for the account, ReplaceMyProfileRequest for the profile),
// so the importer can never let in what the API would refuse.
import { create } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import { RegisterRequestSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { ReplaceMyProfileRequestSchema } from "@identity/proto/identity/profile/v1/profile_pb.js";

export const refusalReasons = {
  invalidUsername: "invalid username",
  invalidEmail: "invalid email",
  duplicateEmail: "duplicate email ignoring case",
  duplicateUsername: "duplicate username ignoring case",
  invalidName: "first or last name too long",
  danglingFriendship: "dangling friendship",
  selfFriendship: "friendship with oneself",
  unknownStatus: "unknown friendship status",
  duplicatePair: "the two users already have a friendship",
} as const;
export type RefusalReason = (typeof refusalReasons)[keyof typeof refusalReasons];

export const noteKinds = {
  avatarDropped: "avatar URL not https (or too long): dropped",
  bioTruncated: "bio longer than 500 characters: cut",
  unusablePassword: "unusable password: can only reset",
  unsupportedHash: "password hash of an unsupported format: can only reset",
} as const;
export type NoteKind = (typeof noteKinds)[keyof typeof noteKinds];

const validator = createValidator();
/** Any password the contract accepts: only the other fields of RegisterRequest are judged here. */
const PLACEHOLDER_PASSWORD = "placeholder password";

function violatedFields(result: ReturnType<typeof validator.validate>): Set<string> {
  if (result.kind === "valid") return new Set();
  if (result.kind === "error") throw result.error;
  return new Set(result.violations.map((v) => pathToString(v.field)));
}

export interface AccountFields {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** Why the platform refuses this account as it is, or undefined when it takes it. */
export function accountRefusal(account: AccountFields): RefusalReason | undefined {
  const fields = violatedFields(
    validator.validate(RegisterRequestSchema, create(RegisterRequestSchema, { ...account, password: PLACEHOLDER_PASSWORD })),
  );
  if (fields.has("username")) return refusalReasons.invalidUsername;
  if (fields.has("email")) return refusalReasons.invalidEmail;
  if (fields.size > 0) return refusalReasons.invalidName;
  return undefined;
}

const BIO_MAX = 500;

/** The profile fields as the platform keeps them: an avatar that is not https is dropped, a long bio cut. */
export function acceptedProfile(profile: { username: string; firstName: string; lastName: string; bio: string; avatarUrl: string }): {
  bio: string;
  avatarUrl: string;
  notes: NoteKind[];
} {
  if (profile.bio === "" && profile.avatarUrl === "") return { bio: "", avatarUrl: "", notes: [] };
  const message = create(ReplaceMyProfileRequestSchema, { ...profile, displayName: profile.username });
  const fields = violatedFields(validator.validate(ReplaceMyProfileRequestSchema, message));
  const notes: NoteKind[] = [];
  let { bio, avatarUrl } = profile;
  if (fields.has("avatar_url")) {
    avatarUrl = "";
    notes.push(noteKinds.avatarDropped);
  }
  if (fields.has("bio")) {
    bio = [...bio].slice(0, BIO_MAX).join("");
    notes.push(noteKinds.bioTruncated);
  }
  return { bio, avatarUrl, notes };
}

/** Notes on a password hash the platform keeps but no login can use. */
export function passwordNote(hash: string, supported: (hash: string) => boolean): NoteKind | undefined {
  if (hash.startsWith("!")) return noteKinds.unusablePassword;
  return supported(hash) ? undefined : noteKinds.unsupportedHash;
}
