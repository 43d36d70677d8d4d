// The one place where errors thrown by handlers become what clients see (see errors.ts).
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { toConnectError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/**
 * The `retry-after` of a refused request (429, 503). The error carries it in its metadata, which the gRPC
 * protocol sends as a trailer; the RPC handler also puts it in the response headers, where a REST client
 * behind a transcoding gateway (Envoy) finds it.
 */
export const retryAfterKey = createContextKey<string | undefined>(undefined, { description: "retry-after of a refusal" });

export function createErrorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      const error = toConnectError(err, (e) => logger.error({ err: e, rpc: req.url }, "request failed"));
      const retryAfter = error.metadata.get("retry-after");
      if (retryAfter) req.contextValues.set(retryAfterKey, retryAfter);
      throw error;
    }
  };
}
