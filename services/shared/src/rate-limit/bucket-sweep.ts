// Counting windows that ended long ago are forgotten in the background, by every replica (a second replica's
// delete finds nothing). `keepMs` is how far back a window may still matter.
import type { MikroORM } from "@mikro-orm/core";
import type { Logger } from "../logger.ts";
import { type BackgroundWork, periodically } from "../server/module-lifecycle.ts";
import { deleteBucketsBefore } from "./rate-limit.repository.ts";

export function bucketSweep(options: { orm: MikroORM; logger: Logger; everyMs: number; keepMs: number }): BackgroundWork {
  const { orm, logger, everyMs, keepMs } = options;
  return periodically("rate-limit sweep", everyMs, () => deleteBucketsBefore(orm.em.fork(), new Date(Date.now() - keepMs)), logger);
}
