// `Idempotency-Key` for writes that clients may retry after losing the answer (a dropped connection, a
// replica that died): the first request with a key runs and its answer is kept for 24 hours; a later request
// from the same caller with the same key and the same request gets that answer again (header
// `idempotent-replayed: true`) and changes nothing. Which RPCs take the header is the contract's policy option
// `idempotency_key`, so enabling it for an RPC is one line in its proto. Without the header nothing changes.
//
// - The same key with a different request: ABORTED (HTTP 409), reason IDEMPOTENCY_KEY_REUSED.
// - The same key while the first request still runs: the duplicate waits for it (up to `waitMs`), then
//   answers its result; if it is still running, ABORTED (409) IDEMPOTENCY_KEY_IN_PROGRESS with retry-after.
// - A request that fails frees its key: a retry runs anew. A replica that dies while holding a key holds it
//   for `lockMs` at most; after that a retry with the same request takes it over.
// Keys are scoped per RPC and per caller (the user of the access token; "" for public RPCs such as Register,
// whose request, password included, must then match exactly for a replay).
import { createHash } from "node:crypto";
import { type DescMethod, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { findRoute } from "@identity/proto/contract";
import type { MikroORM } from "@mikro-orm/postgresql";
import { callerKey, serviceCallerKey } from "../auth/caller.ts";
import { domainError, ErrorReason, reasonName } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { HTTP_STATUS_HEADER } from "../rpc/http-status.ts";
import { createIdempotencyStore, type IdempotencyStore, type KeyId } from "./idempotency-store.ts";
import { replayKey } from "./replay.ts";

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const IDEMPOTENT_REPLAYED_HEADER = "idempotent-replayed";
export const IDEMPOTENCY_KEY_INVALID = reasonName(ErrorReason.IDEMPOTENCY_KEY_INVALID);
export const IDEMPOTENCY_KEY_REUSED = reasonName(ErrorReason.IDEMPOTENCY_KEY_REUSED);
export const IDEMPOTENCY_KEY_IN_PROGRESS = reasonName(ErrorReason.IDEMPOTENCY_KEY_IN_PROGRESS);

/** Visible ASCII, 1 to 255 characters (a UUID is the usual choice). */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** Response headers that are part of the answer and replayed with it. */
const REPLAYED_HEADERS = [HTTP_STATUS_HEADER];

export interface IdempotencyOptions {
  orm: MikroORM;
  logger: Logger;
  /** How long a key answers its first result again (default 24 h). */
  ttlMs?: number;
  /** How long a running request holds its key against a takeover (default 20 s: longer than the gateway's 15 s timeout). */
  lockMs?: number;
  /** How long a duplicate waits for the first request to finish (default 5 s). */
  waitMs?: number;
  /** Which RPCs take the header; by default those whose contract policy says `idempotency_key`. */
  enabled?: (method: DescMethod) => boolean;
}

const byContract = (method: DescMethod) => findRoute(method)?.idempotencyKey === true;

export function createIdempotencyInterceptor(options: IdempotencyOptions): Interceptor {
  const ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
  const waitMs = options.waitMs ?? 5000;
  const enabled = options.enabled ?? byContract;
  const store: IdempotencyStore = createIdempotencyStore(options.orm, { ttlMs, lockMs: options.lockMs ?? 20_000 });
  let lastPurge = 0;
  const purgeNowAndThen = () => {
    if (Date.now() - lastPurge < 10 * 60_000) return;
    lastPurge = Date.now();
    store.purge().catch((err: unknown) => options.logger.warn({ err }, "idempotency keys: purge failed"));
  };

  return (next) => async (req) => {
    const key = req.header.get(IDEMPOTENCY_KEY_HEADER);
    if (req.stream || key === null || !enabled(req.method)) return next(req);
    if (!VALID_KEY.test(key)) {
      throw domainError(ErrorReason.IDEMPOTENCY_KEY_INVALID, { field: "Idempotency-Key" });
    }
    purgeNowAndThen();
    const caller = req.contextValues.get(callerKey);
    const id: KeyId = {
      method: `${req.service.typeName}/${req.method.name}`,
      principal: caller?.userId ?? req.contextValues.get(serviceCallerKey)?.name ?? "",
      key,
    };
    const requestHash = createHash("sha256").update(toBinary(req.method.input, req.message)).digest();

    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await store.claim(id, requestHash)) break;
      const stored = await store.find(id);
      if (!stored) continue; // released or expired meanwhile: claim again
      if (!stored.requestHash.equals(requestHash)) {
        throw domainError(ErrorReason.IDEMPOTENCY_KEY_REUSED);
      }
      if (stored.state === "done" && stored.response) {
        // Through the implementation (wrapped by replayingRouter), which answers the stored message.
        req.contextValues.set(replayKey, fromBinary(req.method.output, stored.response));
        const res = await next(req);
        for (const [name, value] of Object.entries(stored.responseHeaders ?? {})) res.header.set(name, value);
        res.header.set(IDEMPOTENT_REPLAYED_HEADER, "true");
        return res;
      }
      if (Date.now() >= deadline) {
        throw domainError(ErrorReason.IDEMPOTENCY_KEY_IN_PROGRESS, { retryAfterSeconds: 1 });
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req);
    } catch (err) {
      await store.release(id).catch((e: unknown) => options.logger.warn({ err: e }, "idempotency key: release failed"));
      throw err;
    }
    if (!res.stream) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = res.header.get(name);
        if (value !== null) headers[name] = value;
      }
      // The effect is done: if recording the answer fails, the key stays held until its lock runs out.
      await store
        .complete(id, Buffer.from(toBinary(req.method.output, res.message)), headers)
        .catch((err: unknown) => options.logger.warn({ err }, "idempotency key: recording the answer failed"));
    }
    return res;
  };
}
