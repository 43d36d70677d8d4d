// Feeds a service's revocation list from the users topic: session.revoked and user.deleted. Every replica
// must see every revocation, so each process reads the topic in a consumer group of its own (never shared
// with another replica) from the beginning; entries whose tokens have all expired are skipped on the way, so
// a restarted replica knows the revocations of the last access-token lifetime within moments of starting.
// Nothing here touches a database: the list is memory only and rebuilt from the topic on start.
import { hostname } from "node:os";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { events, topics } from "@identity/proto/event-catalogue";
import { decodeEvent } from "../events/decode-event.ts";
import type { EventMessage, EventSubscriber } from "../events/event-bus.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { RevocationList } from "./revocation-list.ts";

/** Applies one users-topic message to the list; other event types are ignored. */
export function applyRevocation(list: RevocationList, message: EventMessage): void {
  const type = message.headers.ce_type;
  if (type === events.sessionRevoked.type) {
    const event = decodeEvent(events.sessionRevoked, message);
    if (event.sessionId && event.accessTokensExpireAt) list.revokeSession(event.sessionId, timestampDate(event.accessTokensExpireAt));
  } else if (type === events.userDeleted.type) {
    const event = decodeEvent(events.userDeleted, message);
    if (event.userId && event.accessTokensExpireAt) list.deleteUser(event.userId, timestampDate(event.accessTokensExpireAt));
  }
}

/** A consumer group no other process uses: `<service>.revocations.<host>.<unique>`. */
export function revocationGroup(service: string): string {
  return `${service}.revocations.${hostname()
    .replace(/[^A-Za-z0-9-]/g, "-")
    .slice(0, 40)}.${newId()}`;
}

export async function subscribeRevocations(options: {
  subscriber: EventSubscriber;
  list: RevocationList;
  service: string;
  logger: Logger;
}): Promise<void> {
  const { list, logger } = options;
  await options.subscriber.subscribe(
    revocationGroup(options.service),
    [topics.users],
    async (message) => {
      try {
        applyRevocation(list, message);
      } catch (err) {
        // An undecodable event cannot become decodable by retrying; the others of the topic still apply.
        logger.warn({ err, ceId: message.headers.ce_id }, "revocation event not applied");
      }
    },
    {
      maxAttempts: 1,
      batchHandler: async (messages) => {
        for (const message of messages) applyRevocation(list, message);
      },
    },
  );
}
