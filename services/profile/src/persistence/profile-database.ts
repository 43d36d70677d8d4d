// The tables of the profile database as typed Kysely sees them, inferred from the entities: the queries the
// entity manager cannot express well (the directory's keyset, the hot read) stay typed by the row types.
import type { InferKyselyDB } from "@mikro-orm/postgresql";
import type { ProfileEntity } from "./profile.entity.ts";
import type { ProfileSearchPrefixEntity } from "./profile-search-prefix.entity.ts";

export type ProfileDatabase = InferKyselyDB<typeof ProfileEntity | typeof ProfileSearchPrefixEntity>;
