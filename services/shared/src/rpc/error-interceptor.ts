// The one place where errors thrown by handlers become what clients see (see errors.ts).
import type { Interceptor } from "@connectrpc/connect";
import { toConnectError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export function createErrorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      throw toConnectError(err, (e) => logger.error({ err: e, rpc: req.url }, "request failed"));
    }
  };
}
