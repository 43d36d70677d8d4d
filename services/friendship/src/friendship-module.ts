// The composition root of the service's module: use cases over the ORM, their Connect services, the outbox
// relay that publishes their events, and the consumer that keeps the user replica current.

import { FriendGraphService, FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { createEventConsumer } from "@identity/shared/events/event-consumer.ts";
import { createOutboxRelay } from "@identity/shared/events/outbox-relay.ts";
import { checkDatabase } from "@identity/shared/orm/create-orm.ts";
import { deleteBucketsBefore } from "@identity/shared/rate-limit/rate-limit.repository.ts";
import type { ServiceInfra } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import { USER_REPLICA_GROUP, USER_REPLICA_TOPICS, userReplicaEffects } from "./adapters/user-replica-consumer.ts";
import { createFriendshipCommands } from "./application/friendship-commands.ts";
import { createFriendshipQueries } from "./application/friendship-queries.ts";
import type { FriendshipConfig } from "./config.ts";
import { createFriendGraphServiceImpl } from "./transport/friend-graph-service.ts";
import { createFriendshipServiceImpl } from "./transport/friendship-service.ts";

export async function createFriendshipModule(infra: ServiceInfra<FriendshipConfig>): Promise<ServiceModule> {
  const { orm, bus, logger, config, metrics } = infra;
  const relay = createOutboxRelay({
    orm,
    publisher: bus,
    logger,
    source: "identity/friendship",
    idleDelayMs: config.outboxIdleDelayMs,
    metrics,
  });
  const commands = createFriendshipCommands({
    orm,
    clock: () => new Date(),
    eventsRecorded: () => relay.nudge(),
    friendRequestLimit: config.friendRequests,
  });
  const queries = createFriendshipQueries({ orm });
  const consumer = createEventConsumer({
    orm,
    subscriber: bus,
    logger,
    group: USER_REPLICA_GROUP,
    topics: USER_REPLICA_TOPICS,
    effects: userReplicaEffects,
    metrics,
  });

  let sweeper: NodeJS.Timeout | undefined;
  return {
    name: "friendship",
    register(router) {
      router.service(FriendshipService, createFriendshipServiceImpl(commands, queries));
      router.service(FriendGraphService, createFriendGraphServiceImpl(queries));
    },
    async checkReady() {
      await checkDatabase(orm);
      await bus.checkReady();
    },
    async start() {
      await consumer.start();
      relay.start();
      // Friend-request windows that ended a day ago are forgotten, hourly.
      sweeper = setInterval(() => {
        const before = new Date(Date.now() - (config.friendRequests.windowSeconds + 86_400) * 1000);
        deleteBucketsBefore(orm.em.fork(), before).catch((err: unknown) => logger.warn({ err }, "rate-limit sweep failed"));
      }, 3_600_000);
      sweeper.unref();
    },
    flushOutbox: () => relay.relayOnce(),
    async stop() {
      if (sweeper) clearInterval(sweeper);
      await relay.stop();
    },
  };
}
