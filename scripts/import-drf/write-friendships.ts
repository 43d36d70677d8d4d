// One batch of friendships into the friendship service, after every user has been written (so both parties
// are in its replica). `on conflict do nothing`: the legacy id is unique, and so is the pair whichever way
// round. Raw SQL: a bulk insert over arrays, one round trip, safe to repeat.
import { newIdAt } from "@identity/shared/ids.ts";
import type { SourceMapping } from "./mapping.ts";
import { refusalReasons } from "./rules.ts";
import type { SourceFriendship } from "./source.ts";
import { platformIds, type UserWriteContext } from "./write-users.ts";

interface Resolved extends SourceFriendship {
  id: string;
  requesterId: string;
  addresseeId: string;
  platformStatus: "requested" | "accepted";
}

export async function writeFriendshipBatch(
  batch: readonly SourceFriendship[],
  ctx: Omit<UserWriteContext, "now" | "hashSupported">,
  statuses: SourceMapping["friendships"]["statuses"],
): Promise<void> {
  const { auth, friendship } = ctx.clients;
  const ids = await platformIds(auth, [...new Set(batch.flatMap((f) => [f.requesterLegacyId, f.addresseeLegacyId]))]);
  const resolved: Resolved[] = [];
  for (const f of batch) {
    const refuse = (reason: (typeof refusalReasons)[keyof typeof refusalReasons], detail?: string) =>
      ctx.tally.refused.push({
        kind: "friendships",
        legacyId: f.legacyId,
        label: `${f.requesterLegacyId} -> ${f.addresseeLegacyId}`,
        reason,
        detail,
      });
    const status = f.status === statuses.accepted ? "accepted" : f.status === statuses.requested ? "requested" : undefined;
    const requesterId = ids.get(f.requesterLegacyId);
    const addresseeId = ids.get(f.addresseeLegacyId);
    if (!requesterId || !addresseeId) {
      const missing = [f.requesterLegacyId, f.addresseeLegacyId].filter((id) => !ids.has(id));
      refuse(refusalReasons.danglingFriendship, `user ${missing.join(" and ")} not imported`);
    } else if (requesterId === addresseeId) refuse(refusalReasons.selfFriendship);
    else if (!status) refuse(refusalReasons.unknownStatus, JSON.stringify(f.status));
    else resolved.push({ ...f, id: newIdAt(f.createdAt), requesterId, addresseeId, platformStatus: status });
  }
  if (resolved.length === 0) return;
  await ctx.inTransaction(friendship, async () => {
    const { rows: inserted } = await friendship.query<{ legacy_id: string }>(
      `insert into friendship (id, requester_id, addressee_id, status, created_at, updated_at, legacy_id)
       select t.id, t.requester_id, t.addressee_id, t.status, t.created_at, t.created_at, t.legacy_id
         from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::bigint[])
              as t(id, requester_id, addressee_id, status, created_at, legacy_id)
        order by t.legacy_id
       on conflict do nothing
       returning legacy_id::text`,
      [
        resolved.map((f) => f.id),
        resolved.map((f) => f.requesterId),
        resolved.map((f) => f.addresseeId),
        resolved.map((f) => f.platformStatus),
        resolved.map((f) => f.createdAt),
        resolved.map((f) => f.legacyId),
      ],
    );
    const { rows: existing } = await friendship.query<{ legacy_id: string }>(
      "select legacy_id::text from friendship where legacy_id = any($1::bigint[])",
      [resolved.map((f) => f.legacyId)],
    );
    const present = new Set(existing.map((r) => r.legacy_id));
    ctx.tally.imported.friendships += inserted.length;
    ctx.tally.alreadyThere.friendships += present.size - inserted.length;
    for (const f of resolved)
      if (!present.has(f.legacyId))
        ctx.tally.refused.push({
          kind: "friendships",
          legacyId: f.legacyId,
          label: `${f.requesterLegacyId} -> ${f.addresseeLegacyId}`,
          reason: refusalReasons.duplicatePair,
        });
  });
}
