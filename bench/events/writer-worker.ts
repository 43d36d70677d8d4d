// The events benchmark's load: `rate` registrations per second for `seconds`, each in its own transaction,
// from a worker thread of its own, so that generating the load does not take the relay's event loop (in
// the platform the writes come from many requests, across replicas). Each commit is reported to the main
// thread at once, in absolute milliseconds; the main thread nudges its relay with it, as the ORM's commit
// hook does when writer and relay share a process.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { createOrm } from "../../services/shared/src/orm/create-orm.ts";
import { CreateTestAggregate, registerUser } from "../../services/shared/test/events/events-test-kit.ts";

export interface WriterWorkerData {
  databaseUrl: string;
  topic: string;
  rate: number;
  seconds: number;
  prefix: string;
}

/** Worker -> main: each commit, then `done` with the time writing took. */
export type WriterWorkerReport = { kind: "committed"; username: string; at: number } | { kind: "done"; tookMs: number; failures: number };

const port = parentPort;
if (!port) throw new Error("writer-worker.ts runs as a worker thread");
const { databaseUrl, topic, rate, seconds, prefix } = workerData as WriterWorkerData;
const orm = await createOrm({
  databaseUrl,
  entities: [],
  migrations: [{ name: "0001_test_aggregate", class: CreateTestAggregate }],
  poolMax: 20,
});
const total = rate * seconds;
const start = performance.now();
const inFlight: Promise<unknown>[] = [];
let failures = 0;
for (let i = 0; i < total; i++) {
  const wait = start + (i * 1000) / rate - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const username = `${prefix}-${i}`;
  inFlight.push(
    registerUser(orm, topic, username).then(
      () => port.postMessage({ kind: "committed", username, at: performance.timeOrigin + performance.now() } satisfies WriterWorkerReport),
      () => {
        failures += 1;
      },
    ),
  );
}
await Promise.all(inFlight);
const tookMs = performance.now() - start;
await orm.close();
port.postMessage({ kind: "done", tookMs, failures } satisfies WriterWorkerReport);
