// Whether accounts with Django password hashes exist, re-read every few seconds: the hasher pads failed
// logins only while they do (adapters/password-hasher.ts), and an import may add them at any time.
import type { Logger } from "@identity/shared/logger.ts";
import type { MikroORM } from "@mikro-orm/postgresql";
import { djangoHashesExist } from "../persistence/user.repository.ts";

const REFRESH_MS = 5_000;

export interface LegacyHashWatch {
  present(): boolean;
  start(): void;
  stop(): void;
}

export function createLegacyHashWatch(orm: MikroORM, logger: Logger): LegacyHashWatch {
  let present = false;
  let timer: NodeJS.Timeout | undefined;
  const refresh = () =>
    djangoHashesExist(orm.em.fork()).then(
      (value) => {
        present = value;
      },
      (err: unknown) => logger.warn({ err }, "could not tell whether Django password hashes remain"),
    );
  return {
    present: () => present,
    start() {
      void refresh();
      timer = setInterval(refresh, REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
