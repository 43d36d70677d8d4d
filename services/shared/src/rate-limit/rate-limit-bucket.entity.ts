import { defineEntity, p } from "@mikro-orm/core";

/** A fixed-window counter shared by every replica; incremented with one atomic upsert. */
export const RateLimitBucketEntity = defineEntity({
  name: "RateLimitBucket",
  tableName: "rate_limit_bucket",
  properties: {
    key: p.string().primary(),
    windowStart: p.datetime().primary().fieldName("window_start"),
    count: p.integer(),
  },
});
