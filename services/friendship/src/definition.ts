// The friendship service as its hosts see it (standalone process, test harness, embedded platform), and
// its only composition root: the use cases over the ORM (each given only what it declares), their
// Connect handlers, the outbox relay that publishes their events, and the consumer that keeps the user
// replica current.

import { FriendGraphService, FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { checkDatabase } from "@identity/shared/orm/create-orm.ts";
import { bucketSweep } from "@identity/shared/rate-limit/bucket-sweep.ts";
import { CreateRateLimitBuckets } from "@identity/shared/rate-limit/rate-limit.migration.ts";
import { RateLimitBucketEntity } from "@identity/shared/rate-limit/rate-limit-bucket.entity.ts";
import { defaultPorts } from "@identity/shared/server/default-ports.ts";
import { eventConsumerFor, moduleLifecycle, outboxRelayFor } from "@identity/shared/server/module-lifecycle.ts";
import type { ServiceDefinition, ServiceInfra } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { applyProfileUpdated } from "./application/apply-profile-updated.ts";
import { applyUserDeleted } from "./application/apply-user-deleted.ts";
import { applyUserRegistered } from "./application/apply-user-registered.ts";
import { checkFriendship } from "./application/check-friendship.ts";
import { createFriendRequest } from "./application/create-friend-request.ts";
import { deleteFriendship } from "./application/delete-friendship.ts";
import { listFriendships, listReceivedFriendRequests } from "./application/list-friendships.ts";
import { respondToFriendRequest } from "./application/respond-to-friend-request.ts";
import type { FriendshipUseCases } from "./application/use-cases.ts";
import { type FriendshipConfig, readFriendshipConfig } from "./config.ts";
import { USERS_CONSUMER_GROUP, USERS_CONSUMER_TOPICS, userEventEffects } from "./events/consumed.ts";
import { FriendshipEntity } from "./persistence/friendship.entity.ts";
import { KnownUserEntity } from "./persistence/known-user.entity.ts";
import { CreateFriendships } from "./persistence/migrations/0001-create-friendships.migration.ts";
import { LegacyFriendships } from "./persistence/migrations/0002-legacy-friendships.migration.ts";
import { DeletedUsers } from "./persistence/migrations/0004-deleted-users.migration.ts";
import { friendGraphHandlers } from "./transport/friend-graph-handlers.ts";
import { friendshipHandlers } from "./transport/friendship-handlers.ts";

export interface FriendshipUseCaseParts {
  orm: MikroORM;
  now: () => Date;
  friendRequestLimit: FriendshipConfig["friendRequests"];
}

/** Every use case, each given only what it declares (the fast tests build them the same way, on their own clock). */
export function friendshipUseCases({ orm, now, friendRequestLimit }: FriendshipUseCaseParts): FriendshipUseCases {
  return {
    createFriendRequest: createFriendRequest({ orm, now, friendRequestLimit }),
    respondToFriendRequest: respondToFriendRequest({ orm, now }),
    deleteFriendship: deleteFriendship({ orm, now }),
    listFriendships: listFriendships({ orm }),
    listReceivedFriendRequests: listReceivedFriendRequests({ orm }),
    checkFriendship: checkFriendship({ orm }),
    applyUserRegistered: applyUserRegistered(),
    applyProfileUpdated: applyProfileUpdated(),
    applyUserDeleted: applyUserDeleted(),
  };
}

async function create(infra: ServiceInfra<FriendshipConfig>): Promise<ServiceModule> {
  const { orm, bus, logger, config } = infra;
  // The relay wakes up by itself after each commit that wrote an outbox row.
  const relay = outboxRelayFor(infra, { source: "identity/friendship", idleDelayMs: config.outboxIdleDelayMs });
  const useCases = friendshipUseCases({ orm, now: () => new Date(), friendRequestLimit: config.friendRequests });
  const consumer = eventConsumerFor(infra, {
    group: USERS_CONSUMER_GROUP,
    topics: USERS_CONSUMER_TOPICS,
    effects: userEventEffects(useCases),
  });

  return {
    name: "friendship",
    register(router) {
      router.service(FriendshipService, friendshipHandlers(useCases));
      router.service(FriendGraphService, friendGraphHandlers(useCases));
    },
    ...moduleLifecycle({
      ready: [() => checkDatabase(orm), () => bus.checkReady()],
      relay,
      // Friend-request windows that ended a day ago are forgotten, hourly.
      work: [consumer, bucketSweep({ orm, logger, everyMs: 3_600_000, keepMs: (config.friendRequests.windowSeconds + 86_400) * 1000 })],
    }),
  };
}

export const friendshipService: ServiceDefinition<FriendshipConfig> = {
  name: "friendship",
  defaults: { ...defaultPorts.friendship, database: "identity_friendship" },
  entities: [KnownUserEntity, FriendshipEntity, RateLimitBucketEntity] as ServiceDefinition<FriendshipConfig>["entities"],
  migrations: [
    { name: "0001_create_friendships", class: CreateFriendships },
    { name: "0002_legacy_friendships", class: LegacyFriendships },
    { name: "0003_rate_limit_buckets", class: CreateRateLimitBuckets },
    { name: "0004_deleted_users", class: DeletedUsers },
  ],
  readConfig: readFriendshipConfig,
  create,
};
