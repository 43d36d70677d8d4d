import { defineEntity, p } from "@mikro-orm/core";

/** A fixed-window counter shared by every replica; incremented with one atomic upsert. */
export const RateLimitBucketEntity = defineEntity({
  name: "RateLimitBucket",
  tableName: "rate_limit_bucket",
  // Old windows are deleted by age.
  indexes: [{ name: "rate_limit_bucket_window_idx", properties: "windowStart" }],
  properties: {
    key: p.string().columnType("text").primary(),
    windowStart: p.datetime().primary().fieldName("window_start"),
    count: p.integer(),
  },
});
