// One relationship between two users (the pair is unique whatever the direction; see the migration).
import { defineEntity, p } from "@mikro-orm/core";

export const FriendshipEntity = defineEntity({
  name: "Friendship",
  tableName: "friendship",
  properties: {
    id: p.uuid().primary(),
    requesterId: p.uuid().fieldName("requester_id"),
    addresseeId: p.uuid().fieldName("addressee_id"),
    /** `requested`, `accepted` or `rejected`. */
    status: p.string(),
    createdAt: p.datetime().fieldName("created_at"),
    updatedAt: p.datetime().fieldName("updated_at"),
    /** The Django row an imported friendship came from (`npm run import:drf`); null otherwise. */
    legacyId: p.bigint().fieldName("legacy_id").nullable(),
  },
});
