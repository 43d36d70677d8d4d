// Argon2id runs on the libuv thread pool. Its size must be set before the pool starts, so before anything
// else is imported: one thread per core (Argon2id with p=1 keeps one core busy per verification), unless set.
import { availableParallelism } from "node:os";

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
await import("./run.ts");
