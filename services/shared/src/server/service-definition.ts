// A service as its composition root sees it: what it needs (entities, migrations, configuration) and how to
// build its module from infrastructure. Hosting is separate: runStandalone() on its own ports with
// PostgreSQL and Kafka, or the embedded gateway with PGlite and the in-process bus. Same application code;
// only the adapters differ.

import type { Owner } from "@identity/proto/contract";
import type { AnyEntity, EntitySchema, Routine } from "@mikro-orm/core";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { JWTVerifyGetKey } from "jose";
import type { Registry } from "prom-client";
import type { AccessTokenVerifier } from "../auth/access-token-verifier.ts";
import type { CommonConfig, EnvReader } from "../config.ts";
import type { EventBus } from "../events/event-bus.ts";
import type { Logger } from "../logger.ts";
import type { MigrationClass } from "../orm/create-orm.ts";
import type { SecurityLog } from "../security/security-log.ts";
import type { ServiceModule } from "../service-module.ts";

export interface ServiceInfra<Config> {
  config: Config;
  common: CommonConfig;
  logger: Logger;
  orm: MikroORM;
  bus: EventBus;
  metrics: Registry;
  /** The security log: one JSON line and one counter (on `metrics`) per security event. */
  securityLog: SecurityLog;
}

export interface ServiceDefinition<Config, Module extends ServiceModule = ServiceModule> {
  name: Owner;
  defaults: { rpcPort: number; opsPort: number; database: string };
  entities: ReadonlyArray<EntitySchema<AnyEntity>>;
  migrations: ReadonlyArray<{ name: string; class: MigrationClass }>;
  /** Database functions its migrations create (declared like entities, for the schema check). */
  routines?: ReadonlyArray<Routine>;
  readConfig(env: EnvReader, common: CommonConfig): Config;
  create(infra: ServiceInfra<Config>): Promise<Module>;
  /**
   * The access-token verifier. By default the JWKS is fetched from the auth service (JWKS_URL); the auth
   * service verifies with its own key store instead.
   */
  verifier?(module: Module, common: CommonConfig): AccessTokenVerifier;
}

export type KeySource = JWTVerifyGetKey;
