// `npm start`: the whole platform in one Node process on http://localhost:8080, with nothing installed
// (see platform.ts and docs/gateway-embedded.md). Configuration from the environment; stops on SIGINT/SIGTERM.
import { ConfigError } from "@identity/shared/config.ts";
import { createLogger } from "@identity/shared/logger.ts";
import { embeddedOptionsFromEnv } from "./options.ts";
import { startEmbeddedPlatform } from "./platform.ts";

const log = createLogger("gateway", process.env.LOG_LEVEL ?? "info");

try {
  const options = embeddedOptionsFromEnv(process.env);
  const platform = await startEmbeddedPlatform(options, { env: { ENVIRONMENT: options.environment, ...process.env } });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const deadline = setTimeout(() => process.exit(1), 15_000);
    deadline.unref();
    platform.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
} catch (err) {
  if (err instanceof ConfigError) log.fatal({ problems: err.problems }, "invalid configuration");
  else log.fatal({ err }, "failed to start");
  process.exit(1);
}
