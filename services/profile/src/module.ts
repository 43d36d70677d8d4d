// The profile service's module: its two Connect services, readiness, and background work (the outbox relay
// that publishes profile.updated, the consumer of user.registered).

import { ProfileService, UserLookupService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import { createEventConsumer } from "@identity/shared/events/event-consumer.ts";
import { createOutboxRelay } from "@identity/shared/events/outbox-relay.ts";
import { checkDatabase } from "@identity/shared/orm/create-orm.ts";
import type { ServiceInfra } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import { USERS_CONSUMER_GROUP, USERS_CONSUMER_TOPICS, userEventEffects } from "./adapters/user-registered-consumer.ts";
import { createProfileUseCases, type ProfileUseCases } from "./application/profile-use-cases.ts";
import type { ProfileConfig } from "./config.ts";
import { profileHandlers } from "./transport/profile-handlers.ts";
import { userLookupHandlers } from "./transport/user-lookup-handlers.ts";

export interface ProfileModule extends ServiceModule {
  useCases: ProfileUseCases;
  /** The consumer's effects by event type, for applyOnce in tests. */
  userEventEffects: Record<string, EventEffect>;
}

export async function createProfileModule(infra: ServiceInfra<ProfileConfig>): Promise<ProfileModule> {
  const { orm, bus, logger, metrics } = infra;
  // The relay wakes up by itself after each commit that wrote an outbox row.
  const relay = createOutboxRelay({ orm, publisher: bus, logger, source: "identity/profile", metrics });
  const useCases = createProfileUseCases({ orm });
  const effects = userEventEffects(useCases);
  const consumer = createEventConsumer({
    orm,
    subscriber: bus,
    logger,
    group: USERS_CONSUMER_GROUP,
    topics: USERS_CONSUMER_TOPICS,
    effects,
    metrics,
  });
  return {
    name: "profile",
    useCases,
    userEventEffects: effects,
    register(router) {
      // The spec: unknown request fields are refused (400), never silently ignored; connect-es ignores them
      // by default. A field that is not editable (username, is_staff, ...) is an unknown field here.
      router.service(ProfileService, profileHandlers(useCases));
      router.service(UserLookupService, userLookupHandlers(useCases));
    },
    async checkReady() {
      await checkDatabase(orm);
      await bus.checkReady();
    },
    async start() {
      relay.start();
      await consumer.start();
    },
    flushOutbox: () => relay.relayOnce(),
    async stop() {
      await relay.stop();
    },
  };
}
