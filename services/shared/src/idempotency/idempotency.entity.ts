// One Idempotency-Key of one caller for one RPC: the request it came with (a hash), and once answered, the
// answer to replay. `pending` rows are held by the request that is running for `locked_until`. `bytea`
// columns arrive as Buffers from the PostgreSQL driver.
import { defineEntity, p } from "@mikro-orm/core";

export const IdempotencyKeyEntity = defineEntity({
  name: "IdempotencyKey",
  tableName: "idempotency_key",
  // Expired keys are deleted by age.
  indexes: [{ name: "idempotency_key_created_at_idx", properties: "createdAt" }],
  properties: {
    method: p.string().columnType("text").primary(),
    principal: p.string().columnType("text").primary(),
    key: p.string().columnType("text").primary(),
    requestHash: p.blob().$type<Buffer>().fieldName("request_hash"),
    state: p.enum(["pending", "done"] as const).columnType("text"),
    response: p.blob().$type<Buffer>().nullable(),
    responseHeaders: p.json<Record<string, string>>().nullable().fieldName("response_headers"),
    lockedUntil: p.datetime().fieldName("locked_until"),
    createdAt: p.datetime().fieldName("created_at"),
  },
});

export type IdempotencyKey = InstanceType<typeof IdempotencyKeyEntity.class>;
