// The process lifecycle of a service's main.ts: start, log JSON, stop gracefully on SIGTERM/SIGINT, and
// fail fast (exit 1, with the names of what is missing) on bad configuration.
import { ConfigError } from "../config.ts";
import { createLogger, type Logger } from "../logger.ts";

export interface Stoppable {
  stop(): Promise<void>;
  /** After this long, stopping is given up and the process exits 1 (default 15 s). */
  stopTimeoutMs?: number;
}

export async function runService(name: string, start: (logger: Logger) => Promise<Stoppable>): Promise<void> {
  const logger = createLogger(name, process.env.LOG_LEVEL ?? "info");
  let running: Stoppable;
  try {
    running = await start(logger);
  } catch (err) {
    if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, "invalid configuration");
    else logger.fatal({ err }, "failed to start");
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error("shutdown timed out");
      process.exit(1);
    }, running.stopTimeoutMs ?? 15_000);
    deadline.unref();
    running.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
