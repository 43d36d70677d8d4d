// The request id that crosses Envoy and the services (`x-request-id`, made by Envoy or here), in a context
// value and echoed in the response, and W3C trace context passed through for tracing backends.
import { randomUUID } from "node:crypto";
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../logger.ts";

export const requestIdKey = createContextKey<string>("", { description: "request id" });

/** The TCP peer of the request as the host saw it (undefined when hosted in process). */
/** The subject alternative names of the mTLS peer's certificate (empty without mutual TLS). */
export const peerSansKey = createContextKey<readonly string[]>([], { description: "mTLS peer SANs" });

export const peerAddressKey = createContextKey<string | undefined>(undefined, { description: "socket peer address" });

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function createRequestContextInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const incoming = req.header.get("x-request-id");
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    req.contextValues.set(requestIdKey, requestId);
    const started = performance.now();
    try {
      const res = await next(req);
      res.header.set("x-request-id", requestId);
      return res;
    } finally {
      if (logger.isLevelEnabled("debug")) {
        logger.debug(
          {
            requestId,
            rpc: `${req.service.typeName}/${req.method.name}`,
            ms: Math.round(performance.now() - started),
            traceparent: req.header.get("traceparent") ?? undefined,
          },
          "rpc",
        );
      }
    }
  };
}
