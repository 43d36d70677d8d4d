// One relationship between two users (the pair is unique whatever the direction; see the migration).
import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import type { FriendshipStatus } from "../domain/friendship.ts";
import { KnownUserEntity } from "./known-user.entity.ts";

export const FriendshipEntity = defineEntity({
  name: "Friendship",
  tableName: "friendship",
  indexes: [
    // One relationship per pair whatever its direction: concurrent requests between the same two users
    // (either way round) collide here, and only one row is ever created.
    {
      name: "friendship_pair_key",
      expression:
        "create unique index friendship_pair_key on friendship (least(requester_id, addressee_id), greatest(requester_id, addressee_id))",
    },
    // Keyset pages, one index range per (party, status): rejected rows are never scanned by a list.
    { name: "friendship_requester_page_idx", properties: ["requesterId", "status", "updatedAt", "id"] },
    { name: "friendship_addressee_page_idx", properties: ["addresseeId", "status", "updatedAt", "id"] },
    { name: "friendship_legacy_id_key", expression: "create unique index friendship_legacy_id_key on friendship (legacy_id)" },
  ],
  checks: [
    { name: "friendship_check", expression: "requester_id <> addressee_id" },
    { name: "friendship_status_check", expression: "status in ('requested', 'accepted', 'rejected')" },
  ],
  properties: {
    id: p.uuid().primary(),
    requesterId: p.manyToOne(KnownUserEntity).mapToPk().fieldName("requester_id").foreignKeyName("friendship_requester_id_fkey"),
    addresseeId: p.manyToOne(KnownUserEntity).mapToPk().fieldName("addressee_id").foreignKeyName("friendship_addressee_id_fkey"),
    /** `requested`, `accepted` or `rejected`. */
    status: p.text().$type<FriendshipStatus>(),
    createdAt: p.datetime().fieldName("created_at"),
    updatedAt: p.datetime().fieldName("updated_at"),
    /** The Django row an imported friendship came from (`npm run import:drf`); null otherwise. */
    legacyId: p.bigint().fieldName("legacy_id").nullable(),
  },
});

/** A friendship row, as the ORM reads and writes it. */
export type Friendship = InferEntity<typeof FriendshipEntity>;
