// The friendship service as its hosts see it (standalone process or the embedded gateway).

import { CreateRateLimitBuckets } from "@identity/shared/rate-limit/rate-limit.migration.ts";
import { RateLimitBucketEntity } from "@identity/shared/rate-limit/rate-limit-bucket.entity.ts";
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import { type FriendshipConfig, readFriendshipConfig } from "./config.ts";
import { createFriendshipModule } from "./friendship-module.ts";
import { FriendshipEntity } from "./persistence/friendship.entity.ts";
import { KnownUserEntity } from "./persistence/known-user.entity.ts";
import { CreateFriendships } from "./persistence/migrations/0001-create-friendships.migration.ts";
import { LegacyFriendships } from "./persistence/migrations/0002-legacy-friendships.migration.ts";
import { DeletedUsers } from "./persistence/migrations/0004-deleted-users.migration.ts";

export const friendshipService: ServiceDefinition<FriendshipConfig> = {
  name: "friendship",
  defaults: { rpcPort: 50053, opsPort: 9103, database: "identity_friendship" },
  entities: [KnownUserEntity, FriendshipEntity, RateLimitBucketEntity] as ServiceDefinition<FriendshipConfig>["entities"],
  migrations: [
    { name: "0001_create_friendships", class: CreateFriendships },
    { name: "0002_legacy_friendships", class: LegacyFriendships },
    { name: "0003_rate_limit_buckets", class: CreateRateLimitBuckets },
    { name: "0004_deleted_users", class: DeletedUsers },
  ],
  readConfig: readFriendshipConfig,
  create: createFriendshipModule,
};
