// One batch of users into the three services, each statement set-based and safe to repeat, so a run killed
// at any point resumes without duplicates: the account (auth, `on conflict do nothing`: the legacy id, the
// username and the email are unique there), then for every account of the batch that exists, new or from
// an earlier run, its profile (profile service) and its replica (friendship service), as the services'
// own events would have made them. Raw SQL: these are bulk upserts over arrays (unnest), one round trip each.
import { newIdAt } from "@identity/shared/ids.ts";
import type pg from "pg";
import { acceptedProfile, accountRefusal, passwordNote, refusalReasons } from "./rules.ts";
import type { SourceUser } from "./source.ts";
import { addNote, type Tally } from "./tally.ts";

export type InTransaction = <T>(client: pg.Client, work: () => Promise<T>) => Promise<T>;

export interface UserWriteContext {
  clients: { auth: pg.Client; profile: pg.Client; friendship: pg.Client };
  inTransaction: InTransaction;
  tally: Tally;
  /** The profiles' updated_at: when this run started. */
  now: Date;
  hashSupported(hash: string): boolean;
}

interface Accepted extends SourceUser {
  id: string;
  bio: string;
  avatarUrl: string;
}

/** The rows the platform's rules accept (the others are refused in the tally), with their profile fields as kept. */
function acceptable(batch: readonly SourceUser[], ctx: UserWriteContext): Accepted[] {
  const accepted: Accepted[] = [];
  for (const user of batch) {
    const refusal = accountRefusal(user);
    if (refusal) {
      ctx.tally.refused.push({ kind: "users", legacyId: user.legacyId, label: JSON.stringify(user.username), reason: refusal });
      continue;
    }
    const profile = acceptedProfile(user);
    const note = passwordNote(user.passwordHash, ctx.hashSupported);
    for (const n of note ? [...profile.notes, note] : profile.notes) addNote(ctx.tally, n);
    accepted.push({ ...user, id: newIdAt(user.dateJoined), bio: profile.bio, avatarUrl: profile.avatarUrl });
  }
  return accepted;
}

async function insertAccounts(client: pg.Client, users: readonly Accepted[]): Promise<Set<string>> {
  const { rows } = await client.query<{ legacy_id: string }>(
    `insert into app_user (id, username, email, password_hash, email_verified, first_name, last_name, date_joined,
                           legacy_id, is_active, last_login)
     select t.id, t.username, t.email, t.password_hash, true, t.first_name, t.last_name, t.date_joined,
            t.legacy_id, t.is_active, t.last_login
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                   $8::bigint[], $9::boolean[], $10::timestamptz[])
            as t(id, username, email, password_hash, first_name, last_name, date_joined, legacy_id, is_active, last_login)
      order by t.legacy_id
     on conflict do nothing
     returning legacy_id::text`,
    [
      users.map((u) => u.id),
      users.map((u) => u.username),
      users.map((u) => u.email),
      users.map((u) => u.passwordHash),
      users.map((u) => u.firstName),
      users.map((u) => u.lastName),
      users.map((u) => u.dateJoined),
      users.map((u) => u.legacyId),
      users.map((u) => u.isActive),
      users.map((u) => u.lastLogin),
    ],
  );
  return new Set(rows.map((r) => r.legacy_id));
}

/** Platform ids of the given legacy users that exist (imported now or by an earlier run). */
export async function platformIds(auth: pg.Client, legacyIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await auth.query<{ legacy_id: string; id: string }>(
    "select legacy_id::text, id::text from app_user where legacy_id = any($1::bigint[])",
    [legacyIds],
  );
  return new Map(rows.map((r) => [r.legacy_id, r.id]));
}

/** Why each account that was not inserted and does not exist was skipped: its username or its email is taken. */
async function explainConflicts(auth: pg.Client, users: readonly Accepted[], ctx: UserWriteContext): Promise<void> {
  if (users.length === 0) return;
  const { rows } = await auth.query<{ legacy_id: string; username_holder: string | null; email_holder: string | null }>(
    `select t.legacy_id::text,
            (select coalesce(a.legacy_id::text, 'a registered account') from app_user a where lower(a.username) = lower(t.username)) as username_holder,
            (select coalesce(a.legacy_id::text, 'a registered account') from app_user a where lower(a.email) = lower(t.email)) as email_holder
       from unnest($1::bigint[], $2::text[], $3::text[]) as t(legacy_id, username, email)`,
    [users.map((u) => u.legacyId), users.map((u) => u.username), users.map((u) => u.email)],
  );
  const byId = new Map(users.map((u) => [u.legacyId, u]));
  for (const row of rows) {
    const user = byId.get(row.legacy_id);
    if (!user) continue;
    const byUsername = row.username_holder !== null;
    const holder = byUsername ? row.username_holder : row.email_holder;
    ctx.tally.refused.push({
      kind: "users",
      legacyId: user.legacyId,
      label: JSON.stringify(user.username),
      reason: byUsername ? refusalReasons.duplicateUsername : refusalReasons.duplicateEmail,
      detail: `${byUsername ? user.username : user.email} is also ${/^\d+$/.test(holder ?? "") ? `user ${holder}` : holder}`,
    });
  }
}

async function upsertProfiles(profile: pg.Client, users: readonly Accepted[], ids: Map<string, string>, now: Date) {
  const present = users.filter((u) => ids.has(u.legacyId));
  await profile.query(
    `insert into profile (user_id, username, display_name, first_name, last_name, bio, avatar_url,
                          first_name_edited, last_name_edited, created_at, updated_at)
     select t.user_id, t.username, t.username, t.first_name, t.last_name, t.bio, t.avatar_url, false, false, t.created_at, $7
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $8::timestamptz[])
            as t(user_id, username, first_name, last_name, bio, avatar_url, created_at)
      order by t.user_id
     on conflict (user_id) do nothing`,
    [
      present.map((u) => ids.get(u.legacyId)),
      present.map((u) => u.username),
      present.map((u) => u.firstName),
      present.map((u) => u.lastName),
      present.map((u) => u.bio),
      present.map((u) => u.avatarUrl),
      now,
      present.map((u) => u.dateJoined),
    ],
  );
  // What the directory now shows of them (a profile from an earlier run may have been edited since).
  const { rows } = await profile.query<{ user_id: string; username: string; display_name: string; avatar_url: string; updated_at: string }>(
    "select user_id::text, username, display_name, avatar_url, updated_at::text from profile where user_id = any($1::uuid[])",
    [present.map((u) => ids.get(u.legacyId))],
  );
  return rows;
}

/** The friendship service's replica, as profile.updated would leave it: newer states win, older never do. */
async function upsertReplicas(friendship: pg.Client, profiles: Awaited<ReturnType<typeof upsertProfiles>>) {
  await friendship.query(
    `insert into known_user (id, username, display_name, avatar_url, profile_updated_at)
     select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) order by 1
     on conflict (id) do update set
       username = excluded.username, display_name = excluded.display_name,
       avatar_url = excluded.avatar_url, profile_updated_at = excluded.profile_updated_at
     where known_user.profile_updated_at is null or known_user.profile_updated_at < excluded.profile_updated_at`,
    [
      profiles.map((p) => p.user_id),
      profiles.map((p) => p.username),
      profiles.map((p) => p.display_name),
      profiles.map((p) => p.avatar_url),
      profiles.map((p) => p.updated_at),
    ],
  );
}

export async function writeUserBatch(batch: readonly SourceUser[], ctx: UserWriteContext): Promise<void> {
  const users = acceptable(batch, ctx);
  if (users.length === 0) return;
  const { auth, profile, friendship } = ctx.clients;
  const legacyIds = users.map((u) => u.legacyId);
  const ids = await ctx.inTransaction(auth, async () => {
    const inserted = await insertAccounts(auth, users);
    const existing = await platformIds(auth, legacyIds);
    ctx.tally.imported.users += inserted.size;
    ctx.tally.alreadyThere.users += existing.size - inserted.size;
    await explainConflicts(
      auth,
      users.filter((u) => !existing.has(u.legacyId)),
      ctx,
    );
    return existing;
  });
  if (ids.size === 0) return;
  const profiles = await ctx.inTransaction(profile, () => upsertProfiles(profile, users, ids, ctx.now));
  await ctx.inTransaction(friendship, () => upsertReplicas(friendship, profiles));
}
