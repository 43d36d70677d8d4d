// Where the original service keeps its data: Django's defaults (auth_user, core_profile, core_friendship),
// or other table and column names from a mapping file (JSON, any subset of DEFAULT_MAPPING), for a
// project whose models differ. Names are checked and quoted: a mapping can never inject SQL.
import { readFileSync } from "node:fs";

export interface SourceMapping {
  users: {
    table: string;
    columns: Record<"id" | "username" | "email" | "password" | "firstName" | "lastName" | "isActive" | "dateJoined" | "lastLogin", string>;
  };
  /** `table: ""` when the source has no profiles. */
  profiles: { table: string; columns: Record<"userId" | "bio" | "avatarUrl", string> };
  friendships: {
    table: string;
    columns: Record<"id" | "requesterId" | "addresseeId" | "status" | "createdAt", string>;
    /** The source's status values for the platform's `requested` and `accepted`. */
    statuses: Record<"requested" | "accepted", string>;
  };
}

export const DEFAULT_MAPPING: SourceMapping = {
  users: {
    table: "auth_user",
    columns: {
      id: "id",
      username: "username",
      email: "email",
      password: "password",
      firstName: "first_name",
      lastName: "last_name",
      isActive: "is_active",
      dateJoined: "date_joined",
      lastLogin: "last_login",
    },
  },
  profiles: { table: "core_profile", columns: { userId: "user_id", bio: "bio", avatarUrl: "avatar_url" } },
  friendships: {
    table: "core_friendship",
    columns: { id: "id", requesterId: "requester_id", addresseeId: "addressee_id", status: "status", createdAt: "created_at" },
    statuses: { requested: "requested", accepted: "accepted" },
  },
};

/** A table (optionally `schema.table`) or column name: letters, digits, `_` and `$`, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export class MappingError extends Error {
  override name = "MappingError";
}

/** `"name"` or `"schema"."name"`, after checking each part. */
export function quoteName(name: string, what: string): string {
  const parts = name.split(".");
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p)))
    throw new MappingError(`${what}: "${name}" is not a table or column name`);
  return parts.map((p) => `"${p}"`).join(".");
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Overlays `override` on `base`, refusing keys that `base` does not have (a typo must not pass silently). */
function overlay<T>(base: T, override: unknown, path: string): T {
  if (override === undefined) return base;
  if (!isObject(base)) {
    if (typeof override !== "string") throw new MappingError(`${path} must be a string`);
    return override as T;
  }
  if (!isObject(override)) throw new MappingError(`${path} must be an object`);
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (!(key in base)) throw new MappingError(`${path}.${key} is not a mapping setting (known: ${Object.keys(base).join(", ")})`);
    result[key] = overlay((base as Json)[key], value, `${path}.${key}`);
  }
  return result as T;
}

/** The default mapping with the file's settings laid over it, every name checked. */
export function loadMapping(file: string | undefined): SourceMapping {
  if (!file) return DEFAULT_MAPPING;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new MappingError(`mapping file ${file}: ${(err as Error).message}`);
  }
  const mapping = overlay(DEFAULT_MAPPING, parsed, "mapping");
  for (const section of ["users", "friendships"] as const) {
    quoteName(mapping[section].table, `${section}.table`);
    for (const [key, column] of Object.entries(mapping[section].columns)) quoteName(column, `${section}.columns.${key}`);
  }
  if (mapping.profiles.table !== "") {
    quoteName(mapping.profiles.table, "profiles.table");
    for (const [key, column] of Object.entries(mapping.profiles.columns)) quoteName(column, `profiles.columns.${key}`);
  }
  return mapping;
}
