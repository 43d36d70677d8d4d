// The auth service as its own process: runStandalone(authService). Argon2id runs on the libuv thread pool,
// whose size must be set before the pool starts, so before the service is loaded (hence the dynamic imports):
// one thread per core (Argon2id with p=1 keeps one core busy per verification), unless set.
import { availableParallelism } from "node:os";

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
const { runStandalone } = await import("@identity/shared/server/standalone.ts");
const { authService } = await import("./definition.ts");
await runStandalone(authService);
