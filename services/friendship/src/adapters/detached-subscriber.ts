// The in-process bus (embedded mode) runs a handler inside the publisher's async context: another service's
// outbox-relay transaction. MikroORM resolves `orm.em.fork()` through that context, and every service's ORM
// has the same context name, so the effect would run in the other service's database ("relation known_user
// does not exist"). A broker never carries the publisher's context; this wrapper makes the in-process bus
// behave the same: handlers run in the async context the consumer was created in.
import { AsyncResource } from "node:async_hooks";
import type { EventSubscriber } from "@identity/shared/events/event-bus.ts";

export function detachedSubscriber(subscriber: EventSubscriber, name: string): EventSubscriber {
  const scope = new AsyncResource(name);
  return {
    subscribe: (group, topics, handler) =>
      subscriber.subscribe(group, topics, (message) => scope.runInAsyncScope(handler, undefined, message)),
  };
}
