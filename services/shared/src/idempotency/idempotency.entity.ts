// One Idempotency-Key of one caller for one RPC: the request it came with (a hash), and once answered, the
// answer to replay. `pending` rows are held by the request that is running for `locked_until`.
import { defineEntity, p } from "@mikro-orm/core";

export const IdempotencyKeyEntity = defineEntity({
  name: "IdempotencyKey",
  tableName: "idempotency_key",
  properties: {
    method: p.string().primary(),
    principal: p.string().primary(),
    key: p.string().primary(),
    requestHash: p.blob().fieldName("request_hash"),
    state: p.string(),
    response: p.blob().nullable(),
    responseHeaders: p.json<Record<string, string>>().nullable().fieldName("response_headers"),
    lockedUntil: p.datetime().fieldName("locked_until"),
    createdAt: p.datetime().fieldName("created_at"),
  },
});
