// profile.updated (event catalogue: topic and key from the contract): the state after the change, written to
// the outbox in the transaction of the change.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { events } from "@identity/proto/event-catalogue";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { Profile } from "../domain/profile.ts";

export function recordProfileUpdated(em: EntityManager, profile: Profile): void {
  recordEvent(
    em,
    events.profileUpdated,
    {
      userId: profile.userId,
      username: profile.username,
      displayName: profile.displayName,
      avatarUrl: profile.avatarUrl,
      updatedAt: timestampFromDate(profile.updatedAt),
    },
    profile.updatedAt,
  );
}
