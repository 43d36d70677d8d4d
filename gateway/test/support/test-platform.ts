// The embedded platform as the gateway's integration suites start it: dev environment, databases in memory,
// a free port, quiet logs; each suite adds only the settings it is about.
import { silentLogger } from "@identity/shared/logger.ts";
import { embeddedOptionsFromEnv } from "../../src/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "../../src/embedded/platform.ts";

export type { EmbeddedPlatform };

export function startTestPlatform(settings: Record<string, string> = {}): Promise<EmbeddedPlatform> {
  const env = { ...process.env, ENVIRONMENT: "dev", EMBEDDED_DATA_DIR: ":memory:", GATEWAY_LISTEN: "127.0.0.1:0", ...settings };
  return startEmbeddedPlatform(embeddedOptionsFromEnv(env), { env, logger: () => silentLogger() });
}
