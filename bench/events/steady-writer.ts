// The events benchmark's load: `rate` registrations per second for `seconds`, each in its own transaction
// (a test_user row and its user.registered outbox row), started on schedule whether or not the previous
// ones have committed. Used on the relay's own event loop (BENCH_WRITER=inline, as in one service process)
// or from writer-worker.ts.
import { performance } from "node:perf_hooks";
import type { MikroORM } from "../../services/shared/src/orm/create-orm.ts";
import { registerUser } from "../../services/shared/test/events/events-test-kit.ts";

export interface SteadyWrite {
  orm: MikroORM;
  topic: string;
  rate: number;
  seconds: number;
  prefix: string;
  /** Called as each registration commits, with its username and the time (absolute milliseconds). */
  onCommit(username: string, at: number): void;
}

export async function writeAtRate(w: SteadyWrite): Promise<{ tookMs: number; failures: number }> {
  const total = w.rate * w.seconds;
  const start = performance.now();
  const inFlight: Promise<unknown>[] = [];
  let failures = 0;
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / w.rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const username = `${w.prefix}-${i}`;
    inFlight.push(
      registerUser(w.orm, w.topic, username).then(
        () => w.onCommit(username, performance.timeOrigin + performance.now()),
        () => {
          failures += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { tookMs: performance.now() - start, failures };
}
