// The profile service's only composition root, as hosts see it (standalone main.ts, the embedded gateway,
// the test harness): its schema, configuration, and create(infra), which builds every use case from only
// the dependencies it declares, the handlers of its two Connect services, the outbox relay that publishes
// profile.updated and the consumer of user.registered / user.deleted.
import { ProfileService, UserLookupService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import type { EventEffect } from "@identity/shared/events/event-consumer.ts";
import { checkDatabase } from "@identity/shared/orm/create-orm.ts";
import { defaultPorts } from "@identity/shared/server/default-ports.ts";
import { eventConsumerFor, moduleLifecycle, outboxRelayFor } from "@identity/shared/server/module-lifecycle.ts";
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { applyUserDeleted } from "./application/apply-user-deleted.ts";
import { applyUserRegistered } from "./application/apply-user-registered.ts";
import { batchGetUsers } from "./application/batch-get-users.ts";
import { editMyProfile } from "./application/edit-my-profile.ts";
import { getMyProfile } from "./application/get-my-profile.ts";
import { listUsers } from "./application/list-users.ts";
import type { ProfileUseCases } from "./application/use-cases.ts";
import { type ProfileConfig, readProfileConfig } from "./config.ts";
import { USERS_CONSUMER_GROUP, USERS_CONSUMER_TOPICS, userEventEffects } from "./events/consumed.ts";
import { DeletedUserEntity } from "./persistence/deleted-user.entity.ts";
import { CreateProfile } from "./persistence/migrations/0001-create-profile.ts";
import { DeletedUsers } from "./persistence/migrations/0002-deleted-users.ts";
import { ProfileEntity } from "./persistence/profile.entity.ts";
import { PROFILE_SEARCH_ROUTINES } from "./persistence/profile-search.schema.ts";
import { ProfileSearchPrefixEntity } from "./persistence/profile-search-prefix.entity.ts";
import { profileHandlers } from "./transport/profile-handlers.ts";
import { userLookupHandlers } from "./transport/user-lookup-handlers.ts";

export interface ProfileModule extends ServiceModule {
  useCases: ProfileUseCases;
  /** The consumer's effects by event type, for applyOnce in tests. */
  userEventEffects: Record<string, EventEffect>;
}

/** Every use case, each given only what it declares (the fast tests build them the same way, on their own clock). */
export function profileUseCases(orm: MikroORM, now: () => Date): ProfileUseCases {
  const edit = editMyProfile({ orm, now });
  return {
    getMyProfile: getMyProfile({ orm, now }),
    replaceMyProfile: edit,
    updateMyProfile: edit,
    listUsers: listUsers({ orm }),
    batchGetUsers: batchGetUsers({ orm }),
    applyUserRegistered: applyUserRegistered({ now }),
    applyUserDeleted: applyUserDeleted(),
  };
}

export const profileService: ServiceDefinition<ProfileConfig, ProfileModule> = {
  name: "profile",
  defaults: { ...defaultPorts.profile, database: "identity_profile" },
  entities: [ProfileEntity as never, ProfileSearchPrefixEntity as never, DeletedUserEntity as never],
  routines: PROFILE_SEARCH_ROUTINES,
  migrations: [
    { name: "0001_create_profile", class: CreateProfile },
    { name: "0002_deleted_users", class: DeletedUsers },
  ],
  readConfig: readProfileConfig,
  async create(infra) {
    const { orm, bus } = infra;
    const useCases = profileUseCases(orm, () => new Date());
    // The relay wakes up by itself after each commit that wrote an outbox row.
    const relay = outboxRelayFor(infra, { source: "identity/profile" });
    const effects = userEventEffects(useCases);
    const consumer = eventConsumerFor(infra, { group: USERS_CONSUMER_GROUP, topics: USERS_CONSUMER_TOPICS, effects });
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
      ...moduleLifecycle({ ready: [() => checkDatabase(orm), () => bus.checkReady()], relay, work: [consumer] }),
    };
  },
};
