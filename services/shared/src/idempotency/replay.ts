// How a stored answer is replayed through the normal response path: the idempotency interceptor puts the
// stored message in a context value and calls on; every unary implementation, wrapped here when the service
// registers, answers that message instead of running. (An interceptor that answered by itself would lose the
// protocol's response headers, which only the handler context holds.)
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { type ConnectRouter, createContextKey, type HandlerContext } from "@connectrpc/connect";

export const replayKey = createContextKey<unknown>(undefined, { description: "stored answer to replay" });

type AnyImpl = Record<string, (req: unknown, ctx: HandlerContext) => unknown>;

function wrapService(service: DescService, impl: AnyImpl): AnyImpl {
  const wrapped: AnyImpl = {};
  for (const method of service.methods as DescMethod[]) {
    const original = impl[method.localName];
    if (typeof original !== "function") continue;
    wrapped[method.localName] =
      method.methodKind === "unary"
        ? (req, ctx) => ctx.values.get(replayKey) ?? original.call(impl, req, ctx)
        : (req, ctx) => original.call(impl, req, ctx);
  }
  return wrapped;
}

/** The router a module registers on, with every unary implementation able to replay. */
export function replayingRouter(router: ConnectRouter): ConnectRouter {
  return new Proxy(router, {
    get(target, prop, receiver) {
      if (prop === "service") {
        return (service: DescService, impl: AnyImpl, options?: unknown) =>
          (target.service as (s: DescService, i: AnyImpl, o?: unknown) => ConnectRouter)(service, wrapService(service, impl), options);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
