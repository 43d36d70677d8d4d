// Rotates the token signing keys with no downtime:
//   node services/auth/src/rotate-keys.ts [--force]      (or: npm run rotate-keys -w @identity/auth)
// The `next` key, published since the previous rotation, starts signing; the old `current` key is retired
// but stays published until every token it signed has expired; a new `next` key is published; retired keys
// past their time are removed. Replicas pick the change up within SIGNING_KEY_RELOAD_INTERVAL (and at once
// when they meet a token with a kid they do not know). Refuses to promote a `next` key published less than
// SIGNING_KEY_PUBLISH_DELAY ago (verifiers cache the JWKS) unless --force. Same environment as the service.
import { EnvReader, readCommonConfig } from "@identity/shared/config.ts";
import { createOrm } from "@identity/shared/orm/create-orm.ts";
import { RotationTooEarly, rotateSigningKeys } from "./application/rotate-signing-keys.ts";
import { readAuthConfig } from "./config.ts";
import { authService } from "./definition.ts";

const env = new EnvReader();
const common = readCommonConfig(env, authService.name, authService.defaults);
const config = readAuthConfig(env, common);
try {
  env.done();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}

const orm = await createOrm({ databaseUrl: common.databaseUrl, entities: authService.entities, migrations: authService.migrations });
try {
  const rotate = rotateSigningKeys({
    orm,
    now: () => new Date(),
    encryptionKey: config.signingKeyEncryptionKey,
    publishDelaySeconds: config.keyPublishDelaySeconds,
    retainRetiredSeconds: Math.max(config.accessTokenTtlSeconds, config.refreshTokenTtlSeconds) + config.keyReloadIntervalSeconds + 60,
  });
  const result = await rotate({ force: process.argv.includes("--force") });
  console.log(JSON.stringify(result));
} catch (err) {
  if (!(err instanceof RotationTooEarly)) throw err;
  console.error(err.message);
  process.exitCode = 2;
} finally {
  await orm.close();
}
