// The profile service as hosts see it (standalone main.ts, the embedded gateway, the test harness).
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import { type ProfileConfig, readProfileConfig } from "./config.ts";
import { createProfileModule, type ProfileModule } from "./module.ts";
import { DeletedUserEntity } from "./persistence/deleted-user.entity.ts";
import { CreateProfile } from "./persistence/migrations/0001-create-profile.ts";
import { DeletedUsers } from "./persistence/migrations/0002-deleted-users.ts";
import { ProfileEntity } from "./persistence/profile.entity.ts";

export const profileService: ServiceDefinition<ProfileConfig, ProfileModule> = {
  name: "profile",
  defaults: { rpcPort: 50052, opsPort: 9102, database: "identity_profile" },
  entities: [ProfileEntity as never, DeletedUserEntity as never],
  migrations: [
    { name: "0001_create_profile", class: CreateProfile },
    { name: "0002_deleted_users", class: DeletedUsers },
  ],
  readConfig: readProfileConfig,
  create: createProfileModule,
};
