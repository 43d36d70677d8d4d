import { defineEntity, p } from "@mikro-orm/core";

/** A deleted user: no profile is ever created for this id again. */
export const DeletedUserEntity = defineEntity({
  name: "DeletedUser",
  tableName: "deleted_user",
  properties: {
    userId: p.uuid().primary().fieldName("user_id"),
    deletedAt: p.datetime().fieldName("deleted_at"),
  },
});
