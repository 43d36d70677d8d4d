// The events benchmark's load from a worker thread of its own (the default, BENCH_WRITER=thread): in the
// platform the writes come from many requests, across replicas, so generating them here should not take the
// relay's event loop. Each commit is reported to the main thread at once, in absolute milliseconds; the main
// thread nudges its relay with it, as the ORM's commit hook does when writer and relay share a process.
import { parentPort, workerData } from "node:worker_threads";
import { createOrm } from "../../services/shared/src/orm/create-orm.ts";
import { CreateTestAggregate } from "../../services/shared/test/events/events-test-kit.ts";
import { writeAtRate } from "./steady-writer.ts";

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
const { databaseUrl, ...load } = workerData as WriterWorkerData;
const orm = await createOrm({
  databaseUrl,
  entities: [],
  migrations: [{ name: "0001_test_aggregate", class: CreateTestAggregate }],
  poolMax: 20,
});
const result = await writeAtRate({
  orm,
  ...load,
  onCommit: (username, at) => port.postMessage({ kind: "committed", username, at } satisfies WriterWorkerReport),
});
await orm.close();
port.postMessage({ kind: "done", ...result } satisfies WriterWorkerReport);
