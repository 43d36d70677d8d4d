// Raw Argon2id verifications per second on this machine, at the auth service's parameters, from as many
// libuv threads as the machine has cores (UV_THREADPOOL_SIZE is set by the caller) and 8 in flight: the
// ceiling a login cannot pass. Prints one JSON line: {"perSecond": n}.
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { ARGON2_OPTIONS } from "../../services/auth/src/adapters/argon2-password-hasher.ts";

const seconds = Number(process.argv[2] ?? 8);
const password = "bench: a quiet lighthouse 7";
const stored = await hash(password, ARGON2_OPTIONS);
let done = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: Math.max(8, availableParallelism()) }, async () => {
    while (performance.now() < deadline) {
      if (!(await verify(stored, password, ARGON2_OPTIONS))) throw new Error("verify failed");
      done += 1;
    }
  }),
);
console.log(JSON.stringify({ perSecond: done / ((performance.now() - started) / 1000) }));
